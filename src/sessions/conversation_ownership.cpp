#include "sessions/conversation_ownership.h"

#include "core/response.h"

namespace mc::sessions {
namespace {

constexpr const char* kMarkerKey = "masked_comms_session";

}  // namespace

std::string ownership_marker(const std::string& session_id) {
  Json::Value marker(Json::objectValue);
  marker[kMarkerKey] = session_id;
  return to_json_text(marker);
}

bool carries_ownership_marker(const std::vector<Json::Value>& participants,
                              const std::string& session_id) {
  for (const Json::Value& participant : participants) {
    Json::Value attributes;
    std::string error;
    if (participant["attributes"].isString() &&
        parse_json_text(participant["attributes"].asString(), &attributes, &error) &&
        attributes.isObject() && attributes[kMarkerKey].isString() &&
        attributes[kMarkerKey].asString() == session_id) {
      return true;
    }
  }
  return false;
}

Result<std::optional<OwnedConversation>> fetch_owned_conversation(
    twilio::ConversationsApi& conversations, const std::string& key,
    const std::string& session_id) {
  auto conversation = conversations.fetch_conversation(key);
  if (!conversation) {
    if (conversation.status().code() == StatusCode::kNotFound) {
      return std::optional<OwnedConversation>();
    }
    return conversation.status();
  }
  auto participants = conversations.list_participants((*conversation)["sid"].asString());
  if (!participants) {
    if (participants.status().code() == StatusCode::kNotFound) {
      return std::optional<OwnedConversation>();  // deleted between the two requests
    }
    return participants.status();
  }
  if (!carries_ownership_marker(*participants, session_id)) {
    return std::optional<OwnedConversation>();
  }
  return std::optional<OwnedConversation>(
      OwnedConversation{std::move(*conversation), std::move(*participants)});
}

}  // namespace mc::sessions
