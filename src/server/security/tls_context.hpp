#pragma once
// The public port's TLS context: TLS 1.2 and 1.3 only, forward-secret AEAD suites, the server's
// order of preference, and the given certificate chain and key (PEM).
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "core/protocol/expected.hpp"

namespace confhost {

// The error names the file that could not be loaded.
Expected<std::unique_ptr<boost::asio::ssl::context>> makeServerTlsContext(const std::string& certPath,
                                                                          const std::string& keyPath);

}  // namespace confhost
