#include "server/security/self_signed_certificate.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

namespace confhost {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

bool addExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Expected<CertificateFiles> ensureSelfSignedCertificate(const std::string& dir) {
  namespace fs = std::filesystem;
  CertificateFiles files{(fs::path(dir) / "cert.pem").string(), (fs::path(dir) / "key.pem").string(), false};
  std::error_code ec;
  if (fs::exists(files.certPath, ec) && fs::exists(files.keyPath, ec)) return files;

  fs::create_directories(dir, ec);
  if (ec) return Error{"--run-dir", "cannot create " + dir + ": " + ec.message()};

  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Error{"tls", "OpenSSL could not generate an EC P-256 key"};

  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 825);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Conference Host dev stack"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!addExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !addExtension(cert.get(), NID_ext_key_usage, "serverAuth"))
    return Error{"tls", "OpenSSL could not add the certificate extensions"};
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return Error{"tls", "OpenSSL could not sign the certificate"};

  // The key is written owner-only before it has any content.
  const std::string keyTmp = files.keyPath + ".tmp";
  const std::string certTmp = files.certPath + ".tmp";
  {
    const mode_t old = umask(077);
    FILE* f = std::fopen(keyTmp.c_str(), "w");
    umask(old);
    if (!f) return Error{"tls", "cannot write " + keyTmp};
    const bool ok = PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    std::fclose(f);
    if (!ok) return Error{"tls", "cannot write " + keyTmp};
  }
  {
    FILE* f = std::fopen(certTmp.c_str(), "w");
    if (!f) return Error{"tls", "cannot write " + certTmp};
    const bool ok = PEM_write_X509(f, cert.get()) == 1;
    std::fclose(f);
    if (!ok) return Error{"tls", "cannot write " + certTmp};
  }
  fs::rename(keyTmp, files.keyPath, ec);
  if (!ec) fs::rename(certTmp, files.certPath, ec);
  if (ec) return Error{"tls", "cannot install the certificate in " + dir + ": " + ec.message()};
  files.generated = true;
  return files;
}

}  // namespace confhost
