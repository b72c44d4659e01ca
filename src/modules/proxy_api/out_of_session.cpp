#include "modules/proxy_api/out_of_session.h"

#include "core/json_values.h"
#include "core/log.h"
#include "core/time_format.h"
#include "modules/proxy_api/proxy_sessions.h"
#include "modules/proxy_api/proxy_wire.h"
#include "twilio/twiml.h"

namespace mc::modules::proxy_api {
namespace {

std::optional<std::string> text_field(const Json::Value& object, const char* name) {
  const Json::Value& value = object[name];
  if (value.isString()) return value.asString();
  return std::nullopt;
}

// What the callback's JSON asks for; the reason when it cannot be used (80905).
Result<ProxySessionSpec> spec_of(ApiScope& scope, const proxy::ServiceRecord& service,
                                 const Json::Value& answer, const std::string& sender,
                                 const std::string& dialled) {
  ProxySessionSpec spec;
  auto other = text_field(answer, "participantIdentifier");
  if (!other) return Status::invalid_argument("no participantIdentifier");
  spec.unique_name = text_field(answer, "uniqueName");
  if (spec.unique_name) {
    if (Status s = check_text("uniqueName", *spec.unique_name, kMaxUniqueName); !s) return s;
  }
  if (is_integer_in(answer["ttl"], 0, INT64_MAX)) {
    spec.ttl = answer["ttl"].asInt64();
  } else if (answer["ttl"].isString()) {
    spec.ttl = whole_number(answer["ttl"].asString());
  }
  if (auto expiry = text_field(answer, "dateExpiry")) {
    spec.date_expiry = parse_iso8601(*expiry);
    if (!spec.date_expiry) return Status::invalid_argument("dateExpiry is not ISO 8601");
  }
  spec.mode = text_field(answer, "mode").value_or("voice-and-message");
  if (spec.mode != "message-only" && spec.mode != "voice-only" &&
      spec.mode != "voice-and-message") {
    return Status::invalid_argument("unknown mode " + spec.mode);
  }
  auto first = check_participant(scope, service, sender, std::nullopt, dialled, std::nullopt);
  if (!first) return first.status();
  auto second =
      check_participant(scope, service, *other, text_field(answer, "participantFriendlyName"),
                        text_field(answer, "participantProxyIdentifier"), std::nullopt);
  if (!second) return second.status();
  spec.participants = {std::move(*first), std::move(*second)};
  return spec;
}

}  // namespace

std::optional<Response> OutOfSession::text(const Request& request) {
  return answer(request, Channel::kText);
}

std::optional<Response> OutOfSession::call(const Request& request) {
  return answer(request, Channel::kCall);
}

void OutOfSession::register_outbox() {
  outbox_.handle(kAutoCreatedText,
                 [this](const Json::Value& payload) { return carry_text_on(payload); });
}

std::optional<Response> OutOfSession::answer(const Request& request, Channel channel) {
  const std::string from(request.param("From"));
  std::string dialled(request.param("Called"));
  if (dialled.empty()) dialled = request.param("To");
  if (from.empty() || dialled.empty()) return std::nullopt;
  auto service = scope_.directory.service_of_number(dialled);
  if (!service || !*service) return std::nullopt;
  const std::optional<std::string>& url = (*service)->out_of_session_callback_url;
  if (!url || url->empty()) return std::nullopt;

  auto reply = poster_.post(*url, request.form, timeout_);
  if (!reply) {
    log::info("out-of-session callback not answered",
              {{"service", (*service)->sid}, {"error", reply.status().message()}});
    return std::nullopt;
  }
  if (reply->status < 200 || reply->status > 299) {
    log::info("out-of-session callback refused (80913)",
              {{"service", (*service)->sid}, {"status", reply->status}});
    return std::nullopt;
  }
  if (reply->content_type == "application/xml" || reply->content_type == "text/xml") {
    return Response::twiml(reply->body);
  }
  Json::Value json;
  std::string errors;
  if (reply->content_type != "application/json" || !parse_json_text(reply->body, &json, &errors) ||
      !json.isObject()) {
    log::info("out-of-session callback answer not usable (80905)", {{"service", (*service)->sid}});
    return std::nullopt;
  }
  auto spec = spec_of(scope_, **service, json, from, dialled);
  if (!spec) {
    log::info("out-of-session auto-create not usable (80905)",
              {{"service", (*service)->sid}, {"error", spec.status().message()}});
    return std::nullopt;
  }
  twilio::Twiml twiml;
  if (channel == Channel::kText) {
    // The session is made and the text carried on in the background; Twilio gets its
    // answer now.
    Json::Value payload(Json::objectValue);
    payload["service"] = (*service)->sid;
    payload["from"] = from;
    payload["to"] = dialled;
    payload["body"] = std::string(request.param("Body"));
    payload["answer"] = reply->body;
    if (Status queued = outbox_.add(kAutoCreatedText, payload, scope_.clock.now()); !queued) {
      log::warn("out-of-session text not queued", {{"error", queued.message()}});
      return std::nullopt;
    }
    return Response::twiml(twiml.document());
  }
  // A call waits for its session: it is connected only once the session exists.
  auto created = create_proxy_session(scope_, **service, *spec);
  if (!created) {
    log::warn("out-of-session auto-create failed",
              {{"service", (*service)->sid}, {"error", created.status().message()}});
    return std::nullopt;
  }
  log::info("out-of-session session created",
            {{"service", (*service)->sid}, {"session", created->row.session_id}, {"from", from}});
  twiml.redirect(scope_.base_url + "/inbound-call");
  return Response::twiml(twiml.document());
}

Status OutOfSession::carry_text_on(const Json::Value& payload) {
  const std::string from = payload["from"].asString();
  const std::string to = payload["to"].asString();
  auto service = scope_.directory.find(payload["service"].asString());
  if (!service) return service.status();
  if (!*service) return Status::ok();  // deleted meanwhile: nothing to carry the text into
  Json::Value answer;
  std::string errors;
  parse_json_text(payload["answer"].asString(), &answer, &errors);  // checked when queued
  // A retry after the session was made finds it, and only the text is carried on again.
  auto live = live_sessions_.find(from, to);
  if (!live) return live.status();
  std::string session_id, conversation_sid;
  if (*live) {
    session_id = (*live)->id;
    auto session = scope_.sessions.get(session_id);
    if (!session) return session.status();
    conversation_sid = session->conversation_sid;
  } else {
    auto spec = spec_of(scope_, **service, answer, from, to);
    if (!spec) {
      log::info("out-of-session auto-create not usable (80905)",
                {{"error", spec.status().message()}});
      return Status::ok();
    }
    auto created = create_proxy_session(scope_, **service, *spec);
    if (!created) {
      // Twilio's or the ledger's trouble is tried again; a refusal (a taken unique name,
      // no number left) is final.
      if (created.status().code() == StatusCode::kUnavailable) return created.status();
      log::warn("out-of-session auto-create failed", {{"error", created.status().message()}});
      return Status::ok();
    }
    session_id = created->row.session_id;
    conversation_sid = created->session.conversation_sid;
    log::info("out-of-session session created",
              {{"service", (*service)->sid}, {"session", session_id}, {"from", from}});
  }
  if (conversation_sid.empty()) {
    log::info("out-of-session session is voice-only; text not carried on",
              {{"session", session_id}});
    return Status::ok();
  }
  auto added = scope_.twilio.add_message(conversation_sid, from, payload["body"].asString());
  return added ? Status::ok() : added.status();
}

}  // namespace mc::modules::proxy_api
