#include "modules/proxy_api/proxy_callbacks.h"

#include "core/json_values.h"
#include "core/log.h"
#include "modules/proxy_api/proxy_sessions.h"
#include "store/sql/rows.h"

namespace mc::modules::proxy_api {
namespace {

constexpr std::chrono::hours kGiveUpAfter{1};
constexpr std::chrono::seconds kUrlsFreshFor{1};

using store::sql::to_ms;  // the ledger's time unit: payload deadlines are written in it

const proxy::ProxyParticipant* participant_of(const std::vector<proxy::ProxyParticipant>& all,
                                              const std::string& identifier) {
  for (const proxy::ProxyParticipant& p : all) {
    if (!p.deleted_at && p.identifier == identifier) return &p;
  }
  return nullptr;
}

// The participant on the other side of `identifier` (sessions of this API have two).
const proxy::ProxyParticipant* other_of(const std::vector<proxy::ProxyParticipant>& all,
                                        const std::string& identifier) {
  for (const proxy::ProxyParticipant& p : all) {
    if (!p.deleted_at && p.identifier != identifier) return &p;
  }
  return nullptr;
}

// One side of an interaction, as the callbacks name it.
struct Leg {
  const proxy::ProxyParticipant* participant = nullptr;
  std::string resource_sid;
  std::string status;
};

Params interaction_params(const ApiScope& scope, const proxy::ProxySession& row,
                          const std::string& sid, const std::string& type, const Json::Value& data,
                          const Leg& inbound, const Leg& outbound) {
  const std::string resource_type = type == "voice" ? "Call" : "Message";
  Params params = {{"interactionSid", sid},
                   {"interactionSessionSid", row.session_id},
                   {"interactionServiceSid", row.service_sid},
                   {"interactionAccountSid", scope.account_sid},
                   {"interactionType", type},
                   {"interactionData", to_json_text(data)}};
  for (const auto& [side, leg] : {std::pair{"inbound", &inbound}, {"outbound", &outbound}}) {
    const std::string prefix(side);
    if (leg->participant) {
      params.push_back({prefix + "ParticipantSid", leg->participant->sid});
      params.push_back({prefix + "ParticipantIdentifier", leg->participant->identifier});
    }
    if (!leg->resource_sid.empty()) params.push_back({prefix + "ResourceSid", leg->resource_sid});
    params.push_back({prefix + "ResourceType", resource_type});
    params.push_back({prefix + "ResourceStatus", resource_status(leg->status)});
  }
  return params;
}

Json::Value data_of(const char* key, const std::string& value) {
  Json::Value data(Json::objectValue);
  if (!value.empty()) data[key] = value;
  return data;
}

}  // namespace

ProxyCallbacks::ProxyCallbacks(ApiScope& scope, const proxy::CallbackPoster& poster,
                               sessions::Outbox& outbox, store::LiveSessionIndex& live_sessions,
                               std::chrono::milliseconds intercept_timeout,
                               std::chrono::milliseconds callback_timeout)
    : scope_(scope),
      poster_(poster),
      outbox_(outbox),
      live_sessions_(live_sessions),
      intercept_timeout_(intercept_timeout),
      callback_timeout_(callback_timeout) {}

void ProxyCallbacks::register_outbox() {
  outbox_.handle(kProxyCallback, [this](const Json::Value& payload) -> Status {
    const std::string url = payload["url"].asString();
    if (to_ms(scope_.clock.now()) > payload["until"].asInt64()) {
      log::warn("Proxy callback given up", {{"url", url}});
      return Status::ok();
    }
    Params params;
    for (const Json::Value& pair : payload["params"]) {
      params.push_back({pair[0].asString(), pair[1].asString()});
    }
    auto answer = poster_.post(url, params, callback_timeout_);
    if (!answer) return answer.status();  // tried again later
    if (answer->status < 200 || answer->status > 299) {
      log::info("Proxy callback answered", {{"url", url}, {"status", answer->status}});
    }
    return Status::ok();
  });
}

void ProxyCallbacks::add_hooks(Hooks& hooks) {
  hooks.intercept.add([this](const InteractionEvent& event) { return intercept(event); });
  hooks.message_status.add([this](const MessageStatusEvent& event) { message_status(event); });
  hooks.call_status.add([this](const CallStatusEvent& event) { call_status(event); });
}

bool ProxyCallbacks::any_url(bool intercept) {
  const int64_t now = to_ms(scope_.clock.now());
  const int64_t fresh_ms = std::chrono::milliseconds(kUrlsFreshFor).count();
  if (now - checked_at_ms_.load(std::memory_order_acquire) >= fresh_ms) {
    std::lock_guard lock(refresh_mutex_);
    if (now - checked_at_ms_.load(std::memory_order_acquire) >= fresh_ms) {
      bool any_intercept = false, any_callback = false;
      for (size_t offset = 0;; offset += 1000) {
        auto services = scope_.directory.list(offset, 1000);
        if (!services) {
          log::warn("Proxy services not read; callbacks skipped",
                    {{"error", services.status().message()}});
          break;
        }
        for (const proxy::ServiceRecord& s : *services) {
          any_intercept =
              any_intercept || (s.intercept_callback_url && !s.intercept_callback_url->empty());
          any_callback = any_callback || (s.callback_url && !s.callback_url->empty());
        }
        if (services->size() < 1000) break;
      }
      any_intercept_.store(any_intercept);
      any_callback_.store(any_callback);
      checked_at_ms_.store(now, std::memory_order_release);
    }
  }
  return intercept ? any_intercept_.load() : any_callback_.load();
}

std::optional<ProxyCallbacks::Target> ProxyCallbacks::target_of(const std::string& session_id) {
  auto row = scope_.session_directory.of_session(session_id);
  if (!row || !*row) return std::nullopt;  // not a Proxy session (or the ledger is down)
  auto service = scope_.directory.find((*row)->service_sid);
  if (!service || !*service) return std::nullopt;
  auto participants = scope_.session_directory.participants(session_id);
  if (!participants) return std::nullopt;
  return Target{**row, **service, std::move(*participants)};
}

std::optional<std::string> ProxyCallbacks::intercept(const InteractionEvent& event) {
  if (!any_url(true)) return std::nullopt;
  std::optional<Target> target = target_of(event.session_id);
  if (!target || !target->service.intercept_callback_url ||
      target->service.intercept_callback_url->empty()) {
    return std::nullopt;
  }
  const bool voice = event.type == "voice";
  const std::string sid = interaction_sid(
      event.session_id, voice ? event.resource_sid
                              : "intercept:" + std::to_string(to_ms(scope_.clock.now())) + ":" +
                                    event.from + ":" + event.body);
  const Params params = interaction_params(
      scope_, target->row, sid, voice ? "voice" : "message",
      voice ? Json::Value(Json::objectValue) : data_of("body", event.body),
      {participant_of(target->participants, event.from), event.resource_sid,
       voice ? "ringing" : "received"},
      {other_of(target->participants, event.from), "", voice ? "initiated" : "queued"});
  const std::string& url = *target->service.intercept_callback_url;
  auto answer = poster_.post(url, params, intercept_timeout_);
  if (!answer) {
    log::info("intercept callback not answered; delivered",
              {{"session", event.session_id}, {"error", answer.status().message()}});
    return std::nullopt;
  }
  if (answer->status == 403) return std::string("intercept callback");
  return std::nullopt;
}

void ProxyCallbacks::message_status(const MessageStatusEvent& event) {
  if (!any_url(false)) return;
  std::optional<Target> target = target_of(event.session_id);
  if (!target || !target->service.callback_url || target->service.callback_url->empty()) return;
  // "sent": the author's text reached the conversation; a receipt: one recipient's delivery.
  const bool receipt = !event.recipient.empty();
  const proxy::ProxyParticipant* to = receipt
                                          ? participant_of(target->participants, event.recipient)
                                          : other_of(target->participants, event.author);
  const proxy::ProxyParticipant* from =
      receipt ? (to ? other_of(target->participants, to->identifier) : nullptr)
              : participant_of(target->participants, event.author);
  queue(
      *target->service.callback_url,
      interaction_params(scope_, target->row, interaction_sid(event.session_id, event.message_sid),
                         "message", data_of("body", event.body),
                         {from, event.message_sid, "received"}, {to, "", event.status}));
}

void ProxyCallbacks::call_status(const CallStatusEvent& event) {
  if (!any_url(false)) return;
  // The caller's own call (to a pool number), or the leg rung for it (from the callee's
  // proxy number to the callee).
  const bool leg = !event.parent_call_sid.empty();
  auto live =
      leg ? live_sessions_.find(event.to, event.from) : live_sessions_.find(event.from, event.to);
  if (!live || !*live) return;
  std::optional<Target> target = target_of((*live)->id);
  if (!target || !target->service.callback_url || target->service.callback_url->empty()) return;
  const std::string caller_sid = leg ? event.parent_call_sid : event.call_sid;
  const std::string duration =
      event.duration_seconds ? std::to_string(*event.duration_seconds) : std::string();
  const proxy::ProxyParticipant* callee = leg ? participant_of(target->participants, event.to)
                                              : other_of(target->participants, event.from);
  const proxy::ProxyParticipant* caller =
      leg ? (callee ? other_of(target->participants, callee->identifier) : nullptr)
          : participant_of(target->participants, event.from);
  const Leg inbound{caller, caller_sid, leg ? "in-progress" : event.status};
  const Leg outbound{callee, leg ? event.call_sid : "", leg ? event.status : "initiated"};
  queue(*target->service.callback_url,
        interaction_params(scope_, target->row, interaction_sid((*live)->id, caller_sid), "voice",
                           data_of("duration", duration), inbound, outbound));
}

void ProxyCallbacks::queue(const std::string& url, const Params& params) {
  Json::Value payload(Json::objectValue);
  payload["url"] = url;
  payload["until"] = Json::Int64(to_ms(scope_.clock.now() + kGiveUpAfter));
  Json::Value& list = payload["params"] = Json::Value(Json::arrayValue);
  for (const auto& [name, value] : params) {
    Json::Value pair(Json::arrayValue);
    pair.append(name);
    pair.append(value);
    list.append(std::move(pair));
  }
  if (Status queued = outbox_.add(kProxyCallback, payload, scope_.clock.now()); !queued) {
    log::warn("Proxy callback not queued", {{"error", queued.message()}});
  }
}

}  // namespace mc::modules::proxy_api
