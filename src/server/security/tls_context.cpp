#include "server/security/tls_context.hpp"

namespace confhost {

namespace ssl = boost::asio::ssl;

Expected<std::unique_ptr<ssl::context>> makeServerTlsContext(const std::string& certPath, const std::string& keyPath) {
  auto tls = std::make_unique<ssl::context>(ssl::context::tls_server);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  // TLS 1.2: forward-secret key exchange and AEAD ciphers only (no CBC, no SHA-1 MACs, no RSA key
  // transport); TLS 1.3 keeps OpenSSL's suites, which are all of that kind.
  if (SSL_CTX_set_cipher_list(tls->native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL") != 1)
    return Error{"TLS", "the ECDHE+AEAD cipher list is not supported by this OpenSSL"};
  SSL_CTX_set_options(tls->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  boost::system::error_code ec;
  tls->use_certificate_chain_file(certPath, ec);
  if (ec) return Error{"TLS", "cannot load certificate " + certPath + ": " + ec.message()};
  tls->use_private_key_file(keyPath, ssl::context::pem, ec);
  if (ec) return Error{"TLS", "cannot load key " + keyPath + ": " + ec.message()};
  return tls;
}

}  // namespace confhost
