// How sessions and conversations look on the API.
#pragma once

#include <json/value.h>

#include "store/records.h"

namespace mc::sessions {

// A Twilio conversation (snake_case) as masked-communications-app answers POST /sessions:
// twilio-node's camelCase (accountSid, chatServiceSid, messagingServiceSid, sid,
// friendlyName, uniqueName, attributes, state, dateCreated, dateUpdated, timers, url,
// links, bindings) with dates as JavaScript's ISO strings ("2020-07-01T22:18:37.000Z").
Json::Value app_conversation_json(const Json::Value& twilio_conversation);

// GET /sessions/{id}: the session, its participants (real and proxy numbers) and its
// conversation in the same camelCase.
Json::Value session_json(const store::SessionRecord& session);

// GET /sessions/{id}/messages: one message of the log. {"sid": "IM..." or null (blocked),
// "author", "proxyAddress", "recipients": [{"address", "proxyAddress"}], "body",
// "bodyErased", "media": {"count", "contentTypes"}, "status", "note", "dateCreated"}.
Json::Value message_json(const store::MessageRecord& message);

}  // namespace mc::sessions
