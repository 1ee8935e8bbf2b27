#pragma once
// Unguessable tokens (host token, Stream Manager access token, mixer ids) from OpenSSL's CSPRNG.
#include <cstddef>
#include <string>

namespace confhost {

// `bytes` random bytes as lowercase hex (2 × bytes characters): safe in URLs and in scope names.
std::string randomToken(std::size_t bytes = 16);

// Constant-time comparison so a token cannot be guessed byte by byte from response timing.
bool tokensEqual(const std::string& a, const std::string& b);

}  // namespace confhost
