#pragma once
// The server's command line: every flag with its help text (the README's table lists them), and what a
// run makes of the options before the stack starts: the process-wide settings, credentials left empty
// are generated, the certificate is the given pair or a self-signed one.
#include <iosfwd>
#include <string>

#include "core/protocol/expected.hpp"
#include "server/stack.hpp"

namespace CLI {
class App;
}

namespace confhost {

void addServerOptions(CLI::App& app, StackOptions& options);

// The log level, the WebSocket send budget, SIGPIPE ignored and the descriptor limit raised.
void applyToProcess(const StackOptions& options);

// Which credentials were generated because none was given: the banner says so.
struct GeneratedCredentials {
  bool hostToken = false, smToken = false, webhookSecret = false, webhookToken = false;
};
GeneratedCredentials generateMissingCredentials(StackOptions& options);

// The certificate and key to serve: --cert/--key, or the self-signed pair in <run-dir>/tls.
Status resolveCertificate(StackOptions& options);

// The links and credentials a person needs, once the stack listens at `publicUrl`.
void printAccess(std::ostream& out, const std::string& publicUrl, const StackOptions& options,
                 const GeneratedCredentials& generated);

}  // namespace confhost
