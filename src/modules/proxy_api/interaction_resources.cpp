// /v1/Services/{ServiceSid}/Sessions/{SessionSid}/Interactions: list and fetch. An
// Interaction is read from the ledger's logs, not stored apart: one per message of the
// message log (inbound: the author's text, outbound: its delivery to the other participant)
// and one per call a participant placed (inbound: that call, outbound: the leg rung for
// it). Its SID is derived from the message or call SID, the same on every host. Delete is
// not offered (the logs keep a session's history until the retention sweep; deleting the
// session forgets them on this API).
#include <algorithm>

#include "core/json_values.h"
#include "modules/proxy_api/proxy_sessions.h"
#include "modules/proxy_api/proxy_wire.h"

namespace mc::modules::proxy_api {
namespace {

// Twilio's resource statuses (interaction_enum_resource_status); any other shows as unknown.
const std::vector<std::string> kResourceStatuses = {
    "accepted",  "answered",         "busy",      "canceled",    "completed", "deleted",
    "delivered", "delivery-unknown", "failed",    "in-progress", "initiated", "no-answer",
    "queued",    "received",         "receiving", "ringing",     "scheduled", "sending",
    "sent",      "undelivered",      "unknown"};

std::string resource_status(const std::string& status) {
  return std::find(kResourceStatuses.begin(), kResourceStatuses.end(), status) !=
                 kResourceStatuses.end()
             ? status
             : "unknown";
}

std::string interaction_sid(const std::string& session_id, const std::string& resource) {
  return proxy::derived_sid("KI", session_id + ":" + resource);
}

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
    set_leg(out, "inbound", participant_of(m.author), m.message_sid, "received", "Message");
    Json::Value recipients;
    std::string errors;
    parse_json_text(m.recipients, &recipients, &errors);  // the log's own JSON
    const Json::Value& to =
        recipients.isArray() && !recipients.empty() ? recipients[0] : Json::Value::null;
    std::string delivery = m.status == "blocked" ? "failed" : "sent";
    if (to.isObject() && to["delivery"].isString()) delivery = to["delivery"].asString();
    set_leg(out, "outbound", to.isObject() ? participant_of(to["address"].asString()) : "", "",
            resource_status(delivery), "Message");
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
      if (m.author == "system") continue;  // masked-comms' own notices are not interactions
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
  std::vector<Json::Value> out;
  for (Interaction& i : all) out.push_back(std::move(i.json));
  return out;
}

}  // namespace

void add_interaction_routes(Router& router, ApiScope& scope) {
  const std::string list = "/v1/Services/{service}/Sessions/{session}/Interactions";
  router.add("GET", list, Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    auto page = read_page(request);
    if (!page) return error(page.status());
    auto all = interactions_of(scope, *at.row);
    if (!all) return error(all.status());
    return Response::json(200, list_body_of_all("interactions", *all, *page,
                                                session_url(scope, *at.row) + "/Interactions"));
  });
  router.add("GET", list + "/{sid}", Access::kApi, [&scope](Request& request) {
    SessionAt at = session_of_path(scope, request);
    if (at.error) return std::move(*at.error);
    const std::string sid(request.path_param("sid"));
    auto all = interactions_of(scope, *at.row);
    if (!all) return error(all.status());
    for (const Json::Value& interaction : *all) {
      if (interaction["sid"].asString() == sid) return Response::json(200, interaction);
    }
    return not_found("/Interactions/" + sid);
  });
}

}  // namespace mc::modules::proxy_api
