#pragma once
// The dev stack's TLS identity: a self-signed certificate for localhost, generated once into
// `<run-dir>/tls/` and reused on later runs (so a browser exception the user accepted keeps working).
#include <string>

#include "core/protocol/expected.hpp"

namespace confhost {

struct CertificateFiles {
  std::string certPath;
  std::string keyPath;
  bool generated = false;  // true when this run created them
};

// Returns the existing pair in `dir` (cert.pem, key.pem) or creates it: an ECDSA P-256 key (fast
// handshakes) and a certificate for CN=localhost with subjectAltName localhost, 127.0.0.1 and ::1,
// valid for 825 days. Errors name the file that could not be written.
Expected<CertificateFiles> ensureSelfSignedCertificate(const std::string& dir);

}  // namespace confhost
