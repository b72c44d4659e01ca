// Internal to the sessions_api module: reading a POST /sessions body.
#pragma once

#include <json/value.h>

#include "sessions/session_service.h"

namespace mc::modules::sessions_api {

// Reads masked-communications-app's body: {"addresses": [...]} plus any Conversations
// create property (friendlyName, uniqueName, attributes, messagingServiceSid, state, timers,
// dateCreated, dateUpdated, bindings, xTwilioWebhookEnabled), plus masked-comms'
// extensions (mode, ttl, dateExpiry, proxyAddresses). Checks types and formats, so bad
// input is refused before anything is written; an unknown field is an error too.
Result<sessions::CreateSessionRequest> parse_create_request(const Json::Value& body, TimePoint now);

}  // namespace mc::modules::sessions_api
