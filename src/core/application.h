// The request path inside the worker, transport-independent: route, check access, call the
// handler, turn anything it throws into a 500, count it. The transport (src/fcgi) calls
// handle() from many threads at once.
#pragma once

#include <functional>

#include "core/config.h"
#include "core/metrics.h"
#include "core/request.h"
#include "core/response.h"
#include "core/router.h"

namespace mc {

// Stable API codes of the errors the core itself answers with (README, "Error codes").
namespace api_code {
inline constexpr int kNotFound = 20404;                // no such route or resource
inline constexpr int kMethodNotAllowed = 20405;        // route exists, method does not
inline constexpr int kAuthenticationRequired = 20003;  // API route without REMOTE_USER
inline constexpr int kBodyTooLarge = 20413;            // request body above MC_MAX_BODY_BYTES
inline constexpr int kBadRequest = 20400;              // malformed request (transport level)
inline constexpr int kInternalError = 20500;           // a handler failed unexpectedly
inline constexpr int kUnavailable = 20503;             // a dependency (the store) failed
}  // namespace api_code

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Must not throw.
  virtual Response handle(Request& request) = 0;
  // Counts a response the transport gave without calling handle() (a refused body, a
  // transport failure), so that /metrics sees every answer. Must not throw.
  virtual void count_transport_response(int http_status) = 0;
};

class Application final : public RequestHandler {
 public:
  Application(const CoreConfig& config, Metrics& metrics) : config_(config), metrics_(metrics) {}

  Router& router() { return router_; }
  const Router& router() const { return router_; }

  Response handle(Request& request) override;
  void count_transport_response(int http_status) override;

  // Decides whether a request to an Access::kWebhook route really comes from Twilio. Set at
  // start-up, before serving. Without one, every webhook route answers 403 (fail closed).
  using WebhookCheck = std::function<bool(const Request&)>;
  void set_webhook_check(WebhookCheck check) { webhook_check_ = std::move(check); }

 private:
  Response dispatch(Request& request, std::string_view* route_label);
  // Logs a 5xx with its route and cause, and hides internal detail (SQLite's messages name
  // files) from the client behind a generic message; Twilio's own verdicts pass through.
  Response answer_server_error(const Request& request, std::string_view route, Response response);

  const CoreConfig& config_;
  Metrics& metrics_;
  Router router_;
  WebhookCheck webhook_check_;
};

}  // namespace mc
