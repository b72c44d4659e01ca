#include "core/application.h"

#include <chrono>
#include <exception>

#include "core/log.h"

namespace mc {

Response Application::handle(Request& request) {
  const auto started = std::chrono::steady_clock::now();
  metrics_.request_started();
  std::string_view route_label = "unmatched";
  Response response;
  try {
    response = dispatch(request, &route_label);
  } catch (const std::exception& e) {
    response =
        Response::error(500, api_code::kInternalError, std::string("handler threw: ") + e.what());
  } catch (...) {
    response = Response::error(500, api_code::kInternalError, "handler threw a non-exception");
  }
  if (response.status >= 500) response = answer_server_error(request, route_label, response);
  metrics_.request_finished();
  metrics_.record_request(route_label, response.status, std::chrono::steady_clock::now() - started);
  return response;
}

void Application::count_transport_response(int http_status) {
  metrics_.record_request("transport", http_status, std::chrono::nanoseconds(0));
}

Response Application::answer_server_error(const Request& request, std::string_view route,
                                          Response response) {
  std::string detail = response.body;
  Json::Value body;
  std::string error;
  const bool json_error = response.content_type == "application/json" &&
                          parse_json_text(response.body, &body, &error) && body.isObject();
  if (json_error) detail = body["message"].asString();
  log::error("server error", {{"method", request.method},
                              {"route", route},
                              {"status", response.status},
                              {"error", detail}});
  if (json_error) {
    // An error with its own API code (Twilio's verdict, 20503) says what the client may do;
    // one without (a store failure, a bug) carries internal detail and gets a generic text.
    const int code = body["code"].asInt();
    if (code != response.status && code != api_code::kInternalError) return response;
    const bool unavailable = response.status == 503;
    return Response::error(response.status,
                           unavailable ? api_code::kUnavailable : api_code::kInternalError,
                           unavailable ? "temporarily unavailable; try again" : "internal error");
  }
  if (response.content_type.rfind("text/plain", 0) == 0) {
    response.body = response.status == 503 ? "temporarily unavailable" : "internal error";
  }
  return response;
}

Response Application::dispatch(Request& request, std::string_view* route_label) {
  Router::Match match = router_.match(request.method, request.path);
  if (!match.route) {
    if (!match.allow.empty()) {
      return Response::error(
                 405, api_code::kMethodNotAllowed,
                 "method " + request.method + " is not allowed here; allowed: " + match.allow)
          .with_header("Allow", match.allow);
    }
    return Response::error(404, api_code::kNotFound, "no such resource: " + request.path);
  }
  *route_label = match.route->pattern;
  if (match.route->access == Access::kApi && config_.require_remote_user &&
      request.remote_user.empty()) {
    // nginx sets REMOTE_USER after basic auth; its absence means nginx is misconfigured or
    // bypassed, so the worker fails closed.
    return Response::error(401, api_code::kAuthenticationRequired,
                           "authentication required (REMOTE_USER not set by the web server)")
        .with_header("WWW-Authenticate", "Basic realm=\"masked-comms\"");
  }
  if (match.route->access == Access::kWebhook && !(webhook_check_ && webhook_check_(request))) {
    // Twilio's own wording; a forged or unsigned webhook reaches no handler.
    log::warn("rejected unsigned or forged webhook", {{"path", request.path}});
    return Response::text(403, "Twilio Request Validation Failed.");
  }
  request.path_params = std::move(match.params);
  return match.route->handler(request);
}

}  // namespace mc
