// Which conversations at Twilio masked-comms made. A client may choose a session's
// uniqueName, and Twilio may already hold a conversation of that name that someone else
// created; it must never be adopted as a session's, returned to the client, or deleted.
// Every participant masked-comms adds carries the session's marker in its Attributes
// (invisible to API clients, who see the conversation's own attributes unchanged), and
// ConversationWithParticipants creates a conversation and its first participants at once,
// so a conversation of ours always has a marked participant.
#pragma once

#include <json/value.h>

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "twilio/conversations_api.h"

namespace mc::sessions {

// The participant Attributes (JSON text) that mark a participant as added for `session_id`.
std::string ownership_marker(const std::string& session_id);

// Whether one of `participants` (Twilio participant JSON) carries the marker of `session_id`.
bool carries_ownership_marker(const std::vector<Json::Value>& participants,
                              const std::string& session_id);

// A conversation at Twilio that masked-comms made, with its participants.
struct OwnedConversation {
  Json::Value conversation;
  std::vector<Json::Value> participants;
  std::string sid() const { return conversation["sid"].asString(); }
};

// Fetches the conversation named `key` (its SID or unique name) with its participants.
// nullopt when Twilio has none, or when the one it has does not carry `session_id`'s marker;
// an error when Twilio could not answer.
Result<std::optional<OwnedConversation>> fetch_owned_conversation(
    twilio::ConversationsApi& conversations, const std::string& key, const std::string& session_id);

}  // namespace mc::sessions
