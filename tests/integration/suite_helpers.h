// Helpers shared by the integration suites that drive sessions through the whole stack
// (Boost.Test assertions inside, so test files only).
#pragma once

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "core/response.h"
#include "harness/stack.h"

namespace mc::testing {

inline Json::Value json_body(const net::HttpResponse& response) {
  Json::Value value;
  std::string error;
  if (!parse_json_text(response.body, &value, &error)) BOOST_FAIL("not JSON: " << response.body);
  return value;
}

// {"addresses": [...], <extra>}
inline std::string session_body(const std::vector<std::string>& addresses,
                                const std::string& extra = "") {
  std::string body = "{\"addresses\": [";
  for (size_t i = 0; i < addresses.size(); ++i) body += (i ? ",\"" : "\"") + addresses[i] + "\"";
  return body + "]" + (extra.empty() ? "" : "," + extra) + "}";
}

// POST /sessions, which must answer 200; the conversation it answers with.
inline Json::Value create_session(Stack& stack, const std::vector<std::string>& addresses,
                                  const std::string& extra = "") {
  auto response =
      stack.request("POST", "/sessions", session_body(addresses, extra), "application/json");
  BOOST_REQUIRE(response.is_ok());
  BOOST_REQUIRE_MESSAGE(response->status == 200, response->status << " " << response->body);
  return json_body(*response);
}

// GET /sessions/{id}, which must answer 200.
inline Json::Value get_session(Stack& stack, const std::string& id) {
  auto response = stack.request("GET", "/sessions/" + id);
  BOOST_REQUIRE(response.is_ok());
  BOOST_REQUIRE_MESSAGE(response->status == 200, response->body);
  return json_body(*response);
}

// The proxy number `address` holds in a session (GET /sessions/{id} JSON).
inline std::string proxy_of(const Json::Value& session, const std::string& address) {
  for (const Json::Value& p : session["participants"]) {
    if (p["address"].asString() == address) return p["proxyAddress"].asString();
  }
  BOOST_FAIL(address << " is not in the session");
  return {};
}

// A call to the sandbox's control API, which must answer 200.
inline Json::Value control(Stack& stack, const std::string& method, const std::string& path,
                           const Params& params = {}) {
  auto response = stack.sandbox().control(method, path, params);
  BOOST_REQUIRE(response.is_ok());
  BOOST_REQUIRE_MESSAGE(response->status == 200, path << " " << response->body);
  return json_body(*response);
}

inline Json::Value transcript(Stack& stack, const std::string& phone) {
  return control(stack, "GET", "/phones/" + url_encode(phone) + "/transcript");
}

// A webhook to `path` through nginx, signed by the sandbox with the account's token as
// Twilio would sign it; the worker's answer.
inline net::HttpResponse send_signed_webhook(Stack& stack, const std::string& path,
                                             const Params& params) {
  Json::Value webhook(Json::objectValue);
  webhook["url"] = stack.http_url(path);
  for (const auto& [name, value] : params) webhook["params"][name] = value;
  net::HttpRequest send;
  send.method = "POST";
  send.url = stack.sandbox().base_url() + "/sandbox/send-webhook";
  send.body = to_json_text(webhook);
  send.headers = {{"Content-Type", "application/json"}};
  auto answer = stack.send(send);
  BOOST_REQUIRE(answer.is_ok());
  const Json::Value result = json_body(*answer);
  net::HttpResponse response;
  response.status = result["status"].asInt();
  response.body = result["body"].asString();
  response.headers["content-type"] = result["content_type"].asString();
  return response;
}

// A participant's call from `from` to the proxy number `to`, as Twilio's signed voice
// webhook to /inbound-call would announce it; the worker's answer (TwiML).
inline net::HttpResponse send_inbound_call(Stack& stack, const std::string& call_sid,
                                           const std::string& from, const std::string& to) {
  return send_signed_webhook(stack, "/inbound-call",
                             {{"CallSid", call_sid},
                              {"From", from},
                              {"To", to},
                              {"Called", to},
                              {"CallStatus", "ringing"},
                              {"Direction", "inbound"},
                              {"AccountSid", kSandboxAccountSid}});
}

// How often `needle` occurs in `text` (log lines, say).
inline size_t count_of(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace mc::testing
