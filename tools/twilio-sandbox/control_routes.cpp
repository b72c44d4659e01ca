// The control API of the phone network: /sandbox/... Local and unauthenticated by design
// (the sandbox listens on loopback). Every action waits for the background work it started
// (webhooks, call playback) to settle before answering, so tests can assert right after.
#include <charconv>

#include "core/response.h"
#include "core/time_format.h"
#include "routes.h"

namespace mc::sandbox {
namespace {

constexpr auto kSettleTimeout = std::chrono::seconds(20);

// Form parameters, or the top-level scalar members of a JSON object body.
Params control_params(const httplib::Request& request) {
  if (request.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
    return request_params(request);
  }
  Params params;
  Json::Value body;
  std::string error;
  if (parse_json_text(request.body, &body, &error) && body.isObject()) {
    for (const std::string& name : body.getMemberNames()) {
      if (!body[name].isObject() && !body[name].isArray())
        params.emplace_back(name, body[name].asString());
    }
  }
  for (const auto& [name, value] : request.params) params.emplace_back(name, value);
  return params;
}

void reply_status(httplib::Response& response, const Status& status) {
  reply_json(response, status.http_status(), error_body(status));
}

// `name` from the parameters, or a 400 naming it.
bool require(const Params& params, const char* name, std::string* value,
             httplib::Response& response) {
  *value = std::string(param_or(params, name));
  if (!value->empty()) return true;
  reply_status(response, Status::invalid_argument(std::string(name) + " is required", 20001));
  return false;
}

Json::Value call_summary(const Call& call) {
  Json::Value out(Json::objectValue);
  out["sid"] = call.sid;
  out["parent_call_sid"] = call.parent_sid;
  out["from"] = call.from;
  out["to"] = call.to;
  out["direction"] = call.direction;
  out["status"] = std::string(call_status_name(call.status));
  out["answered_by"] = call.answered_by;
  out["conference"] = call.conference;
  out["bridged_with"] = call.bridged_with;
  out["document_url"] = call.document_url;
  return out;
}

}  // namespace

void register_control_routes(httplib::Server& server, Sandbox& sandbox) {
  auto settle = [&sandbox](Json::Value& body) {
    body["settled"] = sandbox.tasks().wait_idle(kSettleTimeout);
  };

  server.Get("/sandbox/numbers", [&sandbox](const httplib::Request&, httplib::Response& response) {
    std::lock_guard lock(sandbox.mutex());
    Json::Value body(Json::arrayValue);
    for (const PhoneNumber& n : sandbox.state().numbers) {
      Json::Value item(Json::objectValue);
      item["phone_number"] = n.phone_number;
      item["sid"] = n.sid;
      item["voice_url"] = n.voice_url;
      item["sms_url"] = n.sms_url;
      body.append(item);
    }
    reply_json(response, 200, body);
  });

  server.Post("/sandbox/sms", [&sandbox, settle](const httplib::Request& request,
                                                 httplib::Response& response) {
    const Params params = control_params(request);
    std::string from, to;
    if (!require(params, "From", &from, response) || !require(params, "To", &to, response)) return;
    auto result = sandbox.send_sms(from, to, std::string(param_or(params, "Body")));
    if (!result) return reply_status(response, result.status());
    settle(*result);
    reply_json(response, 200, *result);
  });

  server.Post("/sandbox/calls", [&sandbox, settle](const httplib::Request& request,
                                                   httplib::Response& response) {
    const Params params = control_params(request);
    std::string from, to;
    if (!require(params, "From", &from, response) || !require(params, "To", &to, response)) return;
    auto sid = sandbox.voice().place_inbound_call(from, to);
    if (!sid) return reply_status(response, sid.status());
    Json::Value body(Json::objectValue);
    settle(body);
    std::lock_guard lock(sandbox.mutex());
    body["call"] = call_summary(*sandbox.state().find_call(*sid));
    body["call_sid"] = *sid;
    reply_json(response, 200, body);
  });

  server.Get("/sandbox/calls", [&sandbox](const httplib::Request&, httplib::Response& response) {
    std::lock_guard lock(sandbox.mutex());
    Json::Value body(Json::arrayValue);
    for (const std::string& sid : sandbox.state().call_order) {
      body.append(call_summary(*sandbox.state().find_call(sid)));
    }
    reply_json(response, 200, body);
  });

  server.Get(R"(/sandbox/calls/(CA\w+))",
             [&sandbox](const httplib::Request& request, httplib::Response& response) {
               std::lock_guard lock(sandbox.mutex());
               const Call* call = sandbox.state().find_call(request.matches[1]);
               if (!call) return reply_status(response, Status::not_found("no such call", 20404));
               reply_json(response, 200, call_summary(*call));
             });

  server.Post(R"(/sandbox/calls/(CA\w+)/(hangup|answer))",
              [&sandbox, settle](const httplib::Request& request, httplib::Response& response) {
                const std::string sid = request.matches[1];
                const Status status =
                    request.matches[2] == "hangup"
                        ? sandbox.voice().hang_up(sid)
                        : sandbox.voice().answer(
                              sid, std::string(param_or(control_params(request), "AnsweredBy")));
                if (!status) return reply_status(response, status);
                Json::Value body(Json::objectValue);
                settle(body);
                std::lock_guard lock(sandbox.mutex());
                body["call"] = call_summary(*sandbox.state().find_call(sid));
                reply_json(response, 200, body);
              });

  server.Post(R"(/sandbox/phones/([^/]+)/behaviour)", [&sandbox](const httplib::Request& request,
                                                                 httplib::Response& response) {
    const Params params = control_params(request);
    PhoneBehaviour behaviour;
    behaviour.answer = std::string(param_or(params, "Answer", "human"));
    static const std::vector<std::string> kModes = {"human", "machine", "no-answer",
                                                    "busy",  "fail",    "manual"};
    if (std::find(kModes.begin(), kModes.end(), behaviour.answer) == kModes.end()) {
      return reply_status(
          response, Status::invalid_argument(
                        "Answer must be human, machine, no-answer, busy, fail or manual", 20001));
    }
    const std::string delay(param_or(params, "DelayMs", "0"));
    int64_t delay_ms = 0;
    auto [end, ec] = std::from_chars(delay.data(), delay.data() + delay.size(), delay_ms);
    if (ec != std::errc() || end != delay.data() + delay.size() || delay_ms < 0) {
      return reply_status(
          response, Status::invalid_argument("DelayMs must be a non-negative integer", 20001));
    }
    behaviour.delay = std::chrono::milliseconds(delay_ms);
    behaviour.digits = std::string(param_or(params, "Digits"));
    if (behaviour.digits.size() > 20 ||
        behaviour.digits.find_first_not_of("0123456789*#w") != std::string::npos) {
      return reply_status(
          response, Status::invalid_argument("Digits must be up to 20 of 0-9, *, # and w", 20001));
    }
    const std::string record(param_or(params, "RecordSeconds", "5"));
    int64_t record_seconds = 0;
    auto [record_end, record_ec] =
        std::from_chars(record.data(), record.data() + record.size(), record_seconds);
    if (record_ec != std::errc() || record_end != record.data() + record.size() ||
        record_seconds < 0 || record_seconds > 3600) {
      return reply_status(response, Status::invalid_argument(
                                        "RecordSeconds must be an integer from 0 to 3600", 20001));
    }
    behaviour.record_seconds = static_cast<int>(record_seconds);
    std::lock_guard lock(sandbox.mutex());
    sandbox.state().behaviours[request.matches[1]] = behaviour;
    Json::Value body(Json::objectValue);
    body["phone"] = request.matches[1].str();
    body["answer"] = behaviour.answer;
    body["delay_ms"] = static_cast<Json::Int64>(delay_ms);
    body["digits"] = behaviour.digits;
    body["record_seconds"] = behaviour.record_seconds;
    reply_json(response, 200, body);
  });

  server.Get(R"(/sandbox/phones/([^/]+)/transcript)",
             [&sandbox](const httplib::Request& request, httplib::Response& response) {
               reply_json(response, 200, sandbox.transcript(request.matches[1]));
             });
  server.Get("/sandbox/transcript",
             [&sandbox](const httplib::Request&, httplib::Response& response) {
               reply_json(response, 200, sandbox.transcripts());
             });

  server.Get("/sandbox/conferences",
             [&sandbox](const httplib::Request&, httplib::Response& response) {
               std::lock_guard lock(sandbox.mutex());
               Json::Value body(Json::arrayValue);
               for (const auto& [name, conference] : sandbox.state().conferences) {
                 Json::Value item(Json::objectValue);
                 item["sid"] = conference.sid;
                 item["name"] = name;
                 item["status"] = conference.status;
                 item["participants"] = Json::Value(Json::arrayValue);
                 for (const std::string& sid : conference.participants)
                   item["participants"].append(sid);
                 item["ever_joined"] = Json::Value(Json::arrayValue);
                 for (const std::string& sid : conference.ever_joined)
                   item["ever_joined"].append(sid);
                 body.append(item);
               }
               reply_json(response, 200, body);
             });

  server.Get("/sandbox/webhooks",
             [&sandbox](const httplib::Request& request, httplib::Response& response) {
               const std::string kind(param_or(request_params(request), "Kind"));
               std::lock_guard lock(sandbox.mutex());
               Json::Value body(Json::arrayValue);
               for (const WebhookRecord& record : sandbox.state().webhook_log) {
                 if (!kind.empty() && record.kind != kind) continue;
                 Json::Value item(Json::objectValue);
                 item["kind"] = record.kind;
                 item["url"] = record.url;
                 item["method"] = record.method;
                 item["status"] = record.status;
                 item["error"] = record.error;
                 item["date"] = format_iso8601_millis(record.date);
                 for (const auto& [name, value] : record.params) item["params"][name] = value;
                 body.append(item);
               }
               reply_json(response, 200, body);
             });

  server.Get("/sandbox/alerts", [&sandbox](const httplib::Request&, httplib::Response& response) {
    std::lock_guard lock(sandbox.mutex());
    Json::Value body(Json::arrayValue);
    for (const State::Alert& alert : sandbox.state().alerts) {
      Json::Value item(Json::objectValue);
      item["call_sid"] = alert.call_sid;
      item["message"] = alert.message;
      item["date"] = format_iso8601_millis(alert.date);
      body.append(item);
    }
    reply_json(response, 200, body);
  });

  server.Get("/sandbox/clock", [&sandbox](const httplib::Request&, httplib::Response& response) {
    Json::Value body(Json::objectValue);
    body["now"] = format_iso8601_millis(sandbox.clock().now());
    body["offset_ms"] = static_cast<Json::Int64>(sandbox.clock().offset().count());
    reply_json(response, 200, body);
  });
  server.Post("/sandbox/clock/advance", [&sandbox](const httplib::Request& request,
                                                   httplib::Response& response) {
    const std::string seconds(param_or(control_params(request), "Seconds"));
    int64_t value = 0;
    auto [end, ec] = std::from_chars(seconds.data(), seconds.data() + seconds.size(), value);
    if (ec != std::errc() || end != seconds.data() + seconds.size() || value < 0) {
      return reply_status(
          response, Status::invalid_argument("Seconds must be a non-negative integer", 20001));
    }
    Json::Value body(Json::objectValue);
    body["settled"] = sandbox.advance_clock(std::chrono::seconds(value), kSettleTimeout);
    body["now"] = format_iso8601_millis(sandbox.clock().now());
    reply_json(response, 200, body);
  });

  server.Get("/sandbox/faults", [&sandbox](const httplib::Request&, httplib::Response& response) {
    reply_json(response, 200, sandbox.faults().to_json());
  });
  server.Post(
      "/sandbox/faults", [&sandbox](const httplib::Request& request, httplib::Response& response) {
        Params params = control_params(request);
        const std::string endpoint(param_or(params, "Endpoint", param_or(params, "endpoint", "*")));
        std::string text;
        for (const auto& [name, value] : params) {
          if (name == "Endpoint" || name == "endpoint") continue;
          if (!text.empty()) text += ",";
          text += name + "=" + value;
        }
        auto rule = FaultRule::parse(text);
        if (!rule)
          return reply_status(response, Status::invalid_argument(rule.status().message(), 20001));
        sandbox.faults().set(endpoint, *rule);
        reply_json(response, 200, sandbox.faults().to_json());
      });
  server.Delete("/sandbox/faults",
                [&sandbox](const httplib::Request&, httplib::Response& response) {
                  sandbox.faults().clear();
                  reply_json(response, 200, sandbox.faults().to_json());
                });

  server.Post("/sandbox/reset", [&sandbox](const httplib::Request&, httplib::Response& response) {
    sandbox.reset();
    Json::Value body(Json::objectValue);
    body["reset"] = true;
    reply_json(response, 200, body);
  });
  server.Post("/sandbox/wait", [settle](const httplib::Request&, httplib::Response& response) {
    Json::Value body(Json::objectValue);
    settle(body);
    reply_json(response, 200, body);
  });
  server.Post("/sandbox/save", [&sandbox](const httplib::Request&, httplib::Response& response) {
    if (sandbox.options().state_file.empty()) {
      return reply_status(response, Status::failed_precondition("no --state-file was given"));
    }
    const Status status = sandbox.save(sandbox.options().state_file);
    if (!status) return reply_status(response, status);
    Json::Value body(Json::objectValue);
    body["saved"] = sandbox.options().state_file;
    reply_json(response, 200, body);
  });

  // Sends an arbitrary webhook signed with the account's token, e.g. to test how a service
  // treats payloads the phone network cannot produce (anonymous callers, missing fields).
  // JSON body: {"url": ..., "method": "POST", "params": {"From": "..."}}.
  server.Post("/sandbox/send-webhook", [&sandbox](const httplib::Request& request,
                                                  httplib::Response& response) {
    Json::Value body;
    std::string error;
    if (!parse_json_text(request.body, &body, &error) || !body["url"].isString()) {
      return reply_status(
          response, Status::invalid_argument("expected {\"url\": ..., \"params\": {...}}", 20001));
    }
    WebhookRequest webhook{"custom",
                           body["url"].asString(),
                           body["method"].isString() ? body["method"].asString() : "POST",
                           {}};
    for (const std::string& name : body["params"].getMemberNames()) {
      webhook.params.emplace_back(name, body["params"][name].asString());
    }
    const WebhookResponse answer = sandbox.deliver(webhook);
    Json::Value out(Json::objectValue);
    out["status"] = answer.status;
    out["body"] = answer.body;
    out["content_type"] = answer.content_type;
    out["error"] = answer.error;
    reply_json(response, 200, out);
  });

  server.Get("/sandbox/stats", [&sandbox](const httplib::Request&, httplib::Response& response) {
    std::lock_guard lock(sandbox.mutex());
    Json::Value body(Json::objectValue);
    Json::Value& by_state = body["conversations"] = Json::Value(Json::objectValue);
    for (const char* state : {"active", "inactive", "closed"}) by_state[state] = 0;
    for (const auto& [sequence, c] : sandbox.state().conversations) {
      by_state[c.state] = by_state[c.state].asInt() + 1;
    }
    body["active_pairs"] = static_cast<Json::UInt64>(sandbox.state().active_pairs.size());
    body["calls"] = static_cast<Json::UInt64>(sandbox.state().calls.size());
    body["webhooks_sent"] = static_cast<Json::UInt64>(sandbox.state().webhook_log.size());
    reply_json(response, 200, body);
  });
}

}  // namespace mc::sandbox
