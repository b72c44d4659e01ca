#include "sessions/session_json.h"

#include "core/response.h"
#include "core/time_format.h"

namespace mc::sessions {
namespace {

Json::Value js_date(const Json::Value& iso) {
  if (!iso.isString()) return Json::Value(Json::nullValue);
  auto time = parse_iso8601(iso.asString());
  return time ? Json::Value(format_iso8601_millis(*time)) : iso;
}

Json::Value optional_time(const std::optional<TimePoint>& time) {
  return time ? Json::Value(format_iso8601_millis(*time)) : Json::Value(Json::nullValue);
}

}  // namespace

Json::Value app_conversation_json(const Json::Value& c) {
  Json::Value out(Json::objectValue);
  out["accountSid"] = c["account_sid"];
  out["chatServiceSid"] = c["chat_service_sid"];
  out["messagingServiceSid"] = c["messaging_service_sid"];
  out["sid"] = c["sid"];
  out["friendlyName"] = c["friendly_name"];
  out["uniqueName"] = c["unique_name"];
  out["attributes"] = c["attributes"];
  out["state"] = c["state"];
  out["dateCreated"] = js_date(c["date_created"]);
  out["dateUpdated"] = js_date(c["date_updated"]);
  out["timers"] = c["timers"];
  out["url"] = c["url"];
  out["links"] = c["links"];
  out["bindings"] = c["bindings"];
  return out;
}

Json::Value session_json(const store::SessionRecord& s) {
  Json::Value out(Json::objectValue);
  out["id"] = s.id;
  out["conversationSid"] =
      s.conversation_sid.empty() ? Json::Value(Json::nullValue) : Json::Value(s.conversation_sid);
  out["status"] = s.status;
  out["mode"] = s.mode;
  out["friendlyName"] =
      s.friendly_name ? Json::Value(*s.friendly_name) : Json::Value(Json::nullValue);
  out["attributes"] = s.attributes;
  out["ttl"] = s.ttl_seconds ? Json::Value(static_cast<Json::Int64>(*s.ttl_seconds))
                             : Json::Value(Json::nullValue);
  out["dateExpiry"] = optional_time(s.date_expiry);
  out["dateExpires"] = optional_time(s.expires_at);
  out["dateLastInteraction"] = optional_time(s.last_interaction_at);
  out["closedReason"] = s.closed_reason;
  out["dateCreated"] = format_iso8601_millis(s.created_at);
  out["dateUpdated"] = format_iso8601_millis(s.updated_at);
  out["dateClosed"] = optional_time(s.closed_at);
  Json::Value& participants = out["participants"] = Json::Value(Json::arrayValue);
  for (const store::ParticipantRecord& p : s.participants) {
    Json::Value item(Json::objectValue);
    item["address"] = p.address;
    item["proxyAddress"] = p.proxy_number;
    item["participantSid"] =
        p.participant_sid.empty() ? Json::Value(Json::nullValue) : Json::Value(p.participant_sid);
    item["active"] = p.active;
    participants.append(item);
  }
  Json::Value conversation;
  std::string error;
  out["conversation"] =
      !s.conversation.empty() && parse_json_text(s.conversation, &conversation, &error)
          ? app_conversation_json(conversation)
          : Json::Value(Json::nullValue);
  return out;
}

}  // namespace mc::sessions
