#pragma once
// The origin ("scheme://host[:port]") of a mixing page URL, for the allow-list that keeps server-side
// mixer browsers on pages the operator trusts (a mixer runs on the server: a hostile page must not get
// one). Deliberately strict: anything a browser could read differently from us is refused rather than
// guessed at — user info ("a@b"), backslashes, control characters or spaces, schemes other than
// http(s), an empty host. Scheme and host are lower-cased and the scheme's default port is dropped, so
// equal origins compare equal as strings.
#include <string>
#include <string_view>

#include "core/protocol/expected.hpp"

namespace confhost {

// "https://LocalHost:443/x?y" → "https://localhost"; an Error (field "origin") says what is wrong.
Expected<std::string> urlOrigin(std::string_view url);

}  // namespace confhost
