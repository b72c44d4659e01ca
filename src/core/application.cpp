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
    log::error("handler threw", {{"route", route_label}, {"what", e.what()}});
    response = Response::error(500, api_code::kInternalError, "internal error");
  } catch (...) {
    log::error("handler threw a non-exception", {{"route", route_label}});
    response = Response::error(500, api_code::kInternalError, "internal error");
  }
  metrics_.request_finished();
  metrics_.record_request(route_label, response.status, std::chrono::steady_clock::now() - started);
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
