#pragma once
// The Stream Manager access token on an HTTP request: query `accessToken=<t>` or header
// `Authorization: Bearer <t>`, compared in constant time. One definition for every endpoint that
// needs it (Stream Manager admin and composition calls, /cluster/api, event/list,
// /invalidateCredentials).
#include <string>

#include "server/net/http_types.hpp"

namespace confhost {

bool carriesAccessToken(const HttpRequest& request, const std::string& accessToken);

}  // namespace confhost
