#include "sessions/session_json.h"

#include "core/json_values.h"
#include "core/response.h"
#include "core/time_format.h"

namespace mc::sessions {
namespace {

Json::Value js_date(const Json::Value& iso) {
  if (!iso.isString()) return Json::Value(Json::nullValue);
  auto time = parse_iso8601(iso.asString());
  return time ? Json::Value(format_iso8601_millis(*time)) : iso;
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
  out["conversationSid"] = text_or_null(s.conversation_sid);
  out["status"] = s.status;
  out["mode"] = s.mode;
  out["friendlyName"] = optional_text(s.friendly_name);
  out["attributes"] = s.attributes;
  out["ttl"] = optional_int(s.ttl_seconds);
  out["dateExpiry"] = optional_iso_time(s.date_expiry);
  out["dateExpires"] = optional_iso_time(s.expires_at);
  out["dateLastInteraction"] = optional_iso_time(s.last_interaction_at);
  out["closedReason"] = s.closed_reason;
  out["dateCreated"] = format_iso8601_millis(s.created_at);
  out["dateUpdated"] = format_iso8601_millis(s.updated_at);
  out["dateClosed"] = optional_iso_time(s.closed_at);
  Json::Value& participants = out["participants"] = Json::Value(Json::arrayValue);
  for (const store::ParticipantRecord& p : s.participants) {
    Json::Value item(Json::objectValue);
    item["address"] = p.address;
    item["proxyAddress"] = p.proxy_number;
    item["participantSid"] = text_or_null(p.participant_sid);
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

Json::Value message_json(const store::MessageRecord& m) {
  Json::Value out(Json::objectValue);
  out["sid"] = m.message_sid.empty() ? Json::Value(Json::nullValue) : Json::Value(m.message_sid);
  out["author"] = m.author;
  out["proxyAddress"] = m.author_proxy;
  Json::Value recipients;
  std::string error;
  if (!parse_json_text(m.recipients, &recipients, &error)) recipients = Json::arrayValue;
  out["recipients"] = recipients;
  out["body"] = m.body;
  out["bodyErased"] = m.body_erased;
  Json::Value types;
  if (!parse_json_text(m.media_types, &types, &error)) types = Json::arrayValue;
  out["media"]["count"] = m.media_count;
  out["media"]["contentTypes"] = types;
  out["status"] = m.status;
  out["note"] = m.note;
  out["dateCreated"] = format_iso8601_millis(m.created_at);
  return out;
}

}  // namespace mc::sessions
