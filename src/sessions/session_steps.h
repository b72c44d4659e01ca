// Small steps shared by the session service's request-path half (session_service.cpp) and
// its background half (session_upkeep.cpp). Internal to src/sessions.
#pragma once

#include <json/value.h>

#include <string>

#include "core/response.h"
#include "core/time_format.h"
#include "sessions/outbox.h"
#include "store/store.h"

namespace mc::sessions {

inline bool is_closed_state(const Json::Value& conversation) {
  return conversation["state"].asString() == "closed";
}

// Queues outbox work `kind` (delete, close, record participant SIDs) on session
// `session_id`'s conversation, named by SID or UniqueName, in the transaction that makes it
// necessary. Payload: {"conversation": ..., "session": ...}.
inline Status enqueue_conversation_job(store::Transaction& tx, const char* kind,
                                       const std::string& conversation,
                                       const std::string& session_id, TimePoint now) {
  Json::Value payload(Json::objectValue);
  payload["conversation"] = conversation;
  payload["session"] = session_id;
  return tx.enqueue(kind, to_json_text(payload), now);
}

inline bool is_conversation_sid(const std::string& key) {
  return key.size() == 34 && key.rfind("CH", 0) == 0;
}

}  // namespace mc::sessions
