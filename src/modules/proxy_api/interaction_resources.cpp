// /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Interactions: list, fetch and delete; and
// .../Participants/{ParticipantSid}/MessageInteractions: create, list and fetch. An
// Interaction is read from the ledger's logs, not stored apart: one per message of the
// message log (inbound: the author's text, outbound: its delivery to the other participant)
// and one per call a participant placed (inbound: that call, outbound: the leg rung for
// it). Its SID is derived from the message or call SID, the same on every host. Delete
// hides it from this API (proxy_deleted_interactions) while the logs keep the session's
// history for the masked-communications API until their retention sweep; deleting the
// session forgets everything on this API.
#include <algorithm>

#include "core/json_values.h"
#include "core/params.h"
#include "modules/proxy_api/proxy_sessions.h"
#include "modules/proxy_api/proxy_wire.h"

namespace mc::modules::proxy_api {
namespace {

// A MessageInteraction is logged as masked-comms' own text (author "system") with this
// note and the participant's SID.
constexpr std::string_view kMessageInteractionNote = "message interaction of ";

std::string message_interaction_participant(const store::MessageRecord& m) {
  if (m.author != "system" || m.note.rfind(kMessageInteractionNote, 0) != 0) return "";
  return m.note.substr(kMessageInteractionNote.size());
}

// The longest text a MessageInteraction sends (Programmable Messaging's limit).
constexpr size_t kMaxBody = 1600;

struct Interaction {
  TimePoint at;
  Json::Value json;
};

class InteractionView {
 public:
  InteractionView(const ApiScope& scope, const proxy::ProxySession& row,
                  const std::vector<proxy::ProxyParticipant>& participants)
      : scope_(scope), row_(row), participants_(participants) {}

  Interaction of_message(const store::MessageRecord& m) const {
    const std::string resource =
        m.message_sid.empty() ? "message-" + std::to_string(m.id) : m.message_sid;
    Json::Value out = base(interaction_sid(row_.session_id, resource), m.created_at);
    Json::Value data(Json::objectValue);
    data["body"] = m.body;
    out["data"] = to_json_text(data);
    out["type"] = "message";
    const std::string to_participant = message_interaction_participant(m);
    if (!to_participant.empty()) {
      // Sent by the MessageInteractions resource: there is no inbound leg.
      for (const char* field : {"inbound_participant_sid", "inbound_resource_sid",
                                "inbound_resource_type", "inbound_resource_url"}) {
        out[field] = Json::Value(Json::nullValue);
      }
      out["inbound_resource_status"] = "unknown";  // the spec's enum has no null
    } else {
      set_leg(out, "inbound", participant_of(m.author), m.message_sid, "received", "Message");
    }
    Json::Value recipients;
    std::string errors;
    parse_json_text(m.recipients, &recipients, &errors);  // the log's own JSON
    const Json::Value& to =
        recipients.isArray() && !recipients.empty() ? recipients[0] : Json::Value::null;
    std::string delivery = m.status == "blocked" ? "failed" : "sent";
    if (to.isObject() && to["delivery"].isString()) delivery = to["delivery"].asString();
    if (!to_participant.empty()) {
      set_leg(out, "outbound", to_participant, m.message_sid, resource_status(delivery), "Message");
      out["participant_sid"] = to_participant;
      out["url"] = session_url(scope_, row_) + "/Participants/" + to_participant +
                   "/MessageInteractions/" + out["sid"].asString();
    } else {
      set_leg(out, "outbound", to.isObject() ? participant_of(to["address"].asString()) : "", "",
              resource_status(delivery), "Message");
    }
    return {m.created_at, std::move(out)};
  }

  Interaction of_call(const store::CallRecord& call, const store::CallRecord* leg) const {
    Json::Value out = base(interaction_sid(row_.session_id, call.call_sid), call.created_at);
    Json::Value data(Json::objectValue);
    data["duration"] = std::to_string(call.duration_seconds.value_or(0));
    out["data"] = to_json_text(data);
    out["type"] = "voice";
    set_leg(out, "inbound", participant_of(call.from_address), call.call_sid,
            resource_status(call.status), "Call");
    set_leg(out, "outbound", leg ? participant_of(leg->to_address) : "", leg ? leg->call_sid : "",
            leg ? resource_status(leg->status) : "unknown", "Call");
    return {call.created_at, std::move(out)};
  }

 private:
  Json::Value base(const std::string& sid, TimePoint at) const {
    Json::Value out(Json::objectValue);
    out["sid"] = sid;
    out["session_sid"] = row_.session_id;
    out["service_sid"] = row_.service_sid;
    out["account_sid"] = scope_.account_sid;
    out["date_created"] = iso_time(at);
    out["date_updated"] = iso_time(at);
    out["url"] = session_url(scope_, row_) + "/Interactions/" + sid;
    return out;
  }

  std::string participant_of(const std::string& address) const {
    for (const proxy::ProxyParticipant& p : participants_) {
      if (p.identifier == address) return p.sid;
    }
    return "";
  }

  void set_leg(Json::Value& out, const std::string& side, const std::string& participant,
               const std::string& resource_sid, const std::string& status,
               const std::string& type) const {
    out[side + "_participant_sid"] =
        optional_text(participant.empty() ? std::nullopt : std::optional<std::string>(participant));
    out[side + "_resource_sid"] = optional_text(
        resource_sid.empty() ? std::nullopt : std::optional<std::string>(resource_sid));
    out[side + "_resource_status"] = status;
    out[side + "_resource_type"] = type;
    out[side + "_resource_url"] = Json::Value(Json::nullValue);
  }

  const ApiScope& scope_;
  const proxy::ProxySession& row_;
  const std::vector<proxy::ProxyParticipant>& participants_;
};

// Every interaction of the session, oldest first.
Result<std::vector<Json::Value>> interactions_of(ApiScope& scope, const proxy::ProxySession& row) {
  auto participants = scope.session_directory.participants(row.session_id);
  if (!participants) return participants.status();
  const InteractionView view(scope, row, *participants);
  std::vector<Interaction> all;
  std::string token;
  do {
    auto page = scope.store.list_messages(row.session_id, 1000, token);
    if (!page) return page.status();
    for (const store::MessageRecord& m : page->messages) {
      // masked-comms' own notices are not interactions; MessageInteractions are.
      if (m.author == "system" && message_interaction_participant(m).empty()) continue;
      all.push_back(view.of_message(m));
    }
    token = page->next_token;
  } while (!token.empty());
  auto calls = scope.store.calls_for_session(row.session_id);
  if (!calls) return calls.status();
  for (const store::CallRecord& call : *calls) {
    if (call.direction != "inbound") continue;
    const store::CallRecord* leg = nullptr;
    for (const store::CallRecord& other : *calls) {
      if (other.parent_call_sid == call.call_sid) leg = &other;
    }
    all.push_back(view.of_call(call, leg));
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Interaction& a, const Interaction& b) { return a.at < b.at; });
  auto deleted = scope.session_directory.deleted_interactions(row.session_id);
  if (!deleted) return deleted.status();
  std::vector<Json::Value> out;
  for (Interaction& i : all) {
    if (!deleted->count(i.json["sid"].asString())) out.push_back(std::move(i.json));
  }
  return out;
}

// The session's interactions (only the MessageInteractions to `participant_sid` when it is
// set) as a list, or the one the path names ({sid}).
Response interactions_response(ApiScope& scope, const proxy::ProxySession& row,
                               const Request& request, const std::string& base_url,
                               const std::string& key, const std::string& participant_sid) {
  auto all = interactions_of(scope, row);
  if (!all) return error(all.status());
  std::vector<Json::Value> shown;
  for (Json::Value& interaction : *all) {
    if (!participant_sid.empty() && interaction["participant_sid"].asString() != participant_sid) {
      continue;
    }
    shown.push_back(std::move(interaction));
  }
  const std::string sid(request.path_param("sid"));
  if (sid.empty()) {
    auto page = read_page(request);
    if (!page) return error(page.status());
    return Response::json(200, list_body_of_all(key, shown, *page, base_url));
  }
  for (const Json::Value& interaction : shown) {
    if (interaction["sid"].asString() == sid) return Response::json(200, interaction);
  }
  return not_found(base_url.substr(base_url.rfind('/')) + "/" + sid);
}

// MessageInteractions create: a text to the participant from its proxy number
// (Programmable Messaging), logged in the session's message log; its delivery receipts
// arrive at /proxy/message-status.
Response send_message_interaction(ApiScope& scope, const ParticipantAt& found,
                                  const Request& request) {
  const proxy::ProxyParticipant& participant = *found.participant;
  const std::optional<std::string> body = form_value(request, "Body");
  if (!body || body->empty()) {
    return Response::error(400, code::kInvalidParameter,
                           "Missing required parameter Body in the post body");
  }
  if (Status s = check_text("Body", *body, kMaxBody); !s) return error(s);
  if (form_value(request, "MediaUrl")) {
    return Response::error(400, code::kInvalidParameter,
                           "MediaUrl is not supported: send text only");
  }
  if (!store::is_live_status(found.at.session->status)) {
    return Response::error(400, code::kSessionClosed,
                           "Session " + participant.session_id + " is closed");
  }
  if (participant.deleted_at) {
    return Response::error(400, code::kInvalidParticipant,
                           "Participant " + participant.sid + " was removed from the session");
  }
  const std::string status_callback =
      scope.base_url + "/proxy/message-status?session=" + url_encode(participant.session_id);
  auto sent = scope.twilio.send_message({{"From", participant.proxy_identifier},
                                         {"To", participant.identifier},
                                         {"Body", *body},
                                         {"StatusCallback", status_callback}});
  if (!sent) return session_error(sent.status());
  store::MessageRecord m;
  m.session_id = participant.session_id;
  m.message_sid = (*sent)["sid"].asString();
  m.author = "system";
  m.author_proxy = participant.proxy_identifier;
  Json::Value recipients(Json::arrayValue);
  Json::Value& to = recipients.append(Json::Value(Json::objectValue));
  to["address"] = participant.identifier;
  to["proxyAddress"] = participant.proxy_identifier;
  to["delivery"] = (*sent)["status"].isString() ? (*sent)["status"].asString() : "queued";
  m.recipients = to_json_text(recipients);
  m.body = *body;
  m.status = "sent";
  m.note = std::string(kMessageInteractionNote) + participant.sid;
  m.created_at = scope.clock.now();
  if (auto logged = scope.store.record_message(m); !logged) return error(logged.status());
  auto participants = scope.session_directory.participants(participant.session_id);
  if (!participants) return error(participants.status());
  const InteractionView view(scope, *found.at.row, *participants);
  return Response::json(200, view.of_message(m).json);
}

}  // namespace

void add_interaction_routes(Router& router, ApiScope& scope) {
  const std::string messages =
      "/v1/Services/{service}/Sessions/{session}/Participants/{participant}/MessageInteractions";
  const auto messages_url = [&scope](const ParticipantAt& found) {
    return session_url(scope, *found.at.row) + "/Participants/" + found.participant->sid +
           "/MessageInteractions";
  };
  router.add("POST", messages, Access::kApi, [&scope](Request& request) {
    ParticipantAt found = participant_of_path(scope, request, "participant");
    if (found.error) return std::move(*found.error);
    return send_message_interaction(scope, found, request);
  });
  for (const std::string& path : {messages, messages + "/{sid}"}) {
    router.add("GET", path, Access::kApi, [&scope, messages_url](Request& request) {
      ParticipantAt found = participant_of_path(scope, request, "participant");
      if (found.error) return std::move(*found.error);
      return interactions_response(scope, *found.at.row, request, messages_url(found),
                                   "interactions", found.participant->sid);
    });
  }

  const std::string list = "/v1/Services/{service}/Sessions/{session}/Interactions";
  for (const std::string& path : {list, list + "/{sid}"}) {
    router.add("GET", path, Access::kApi, [&scope](Request& request) {
      SessionAt at = session_of_path(scope, request);
      if (at.error) return std::move(*at.error);
      return interactions_response(scope, *at.row, request,
                                   session_url(scope, *at.row) + "/Interactions", "interactions",
                                   "");
    });
  }
  router.add("DELETE", list + "/{sid}", Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    const std::string sid(request.path_param("sid"));
    auto all = interactions_of(scope, *at.row);
    if (!all) return error(all.status());
    if (std::none_of(all->begin(), all->end(),
                     [&](const Json::Value& i) { return i["sid"].asString() == sid; })) {
      return not_found("/Interactions/" + sid);
    }
    Status s =
        scope.session_directory.delete_interaction(at.row->session_id, sid, scope.clock.now());
    return s ? Response::text(204, "") : error(s);
  });
}

}  // namespace mc::modules::proxy_api
