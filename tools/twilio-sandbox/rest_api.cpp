#include "rest_api.h"

#include <openssl/evp.h>

#include <thread>

#include "core/response.h"

namespace mc::sandbox {
namespace {

std::string decode_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return {};
  size_t length = static_cast<size_t>(n);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --length;  // padding
  out.resize(length);
  return out;
}

bool authorized(const httplib::Request& request, const SandboxOptions& options) {
  const std::string header = request.get_header_value("Authorization");
  if (header.rfind("Basic ", 0) != 0) return false;
  const std::string credentials = decode_base64(header.substr(6));
  return credentials == options.account_sid + ":" + options.auth_token;
}

// Answers so that the client sees a broken connection: headers promise a body that never
// comes, and the connection is closed.
void drop_connection(httplib::Response& response) {
  response.set_content_provider(64, "application/json",
                                [](size_t, size_t, httplib::DataSink&) { return false; });
}

}  // namespace

RestReply from_status(const Status& status) { return {status.http_status(), error_body(status)}; }

RestApi::RestApi(httplib::Server& server, Sandbox& sandbox) : server_(server), sandbox_(sandbox) {
  register_conversations();
  register_voice_and_numbers();
  register_messaging();
}

void RestApi::route(const std::string& method, const std::string& pattern,
                    const std::string& endpoint, RestHandler handler) {
  auto wrapped = [this, endpoint, handler](const httplib::Request& request,
                                           httplib::Response& response) {
    // As Twilio's: clients (maskctl doctor) read the clock skew from it.
    response.set_header("Date", format_http_date(sandbox_.clock().now()));
    if (!authorized(request, sandbox_.options())) {
      response.set_header("WWW-Authenticate", "Basic realm=\"Twilio API\"");
      reply_json(response, 401, error_body(401, 20003, "Authenticate"));
      return;
    }
    FaultInjector& faults = sandbox_.faults();
    const FaultInjector::Decision decision = faults.begin(endpoint);
    struct EndGuard {
      FaultInjector& faults;
      const std::string& endpoint;
      ~EndGuard() { faults.end(endpoint); }
    } guard{faults, endpoint};
    if (decision.delay.count() > 0) std::this_thread::sleep_for(decision.delay);
    switch (decision.action) {
      case FaultInjector::Action::kTooManyRequests:
        reply_json(response, 429, error_body(429, 20429, "Too Many Requests"));
        return;
      case FaultInjector::Action::kServerError:
        reply_json(response, 503, error_body(503, 20503, "Service Unavailable"));
        return;
      case FaultInjector::Action::kDrop:
        drop_connection(response);
        return;
      case FaultInjector::Action::kProceed:
        break;
    }
    RestCall call{request, request_params(request),
                  request.get_header_value("X-Twilio-Webhook-Enabled") == "true"};
    RestReply reply = handler(call);
    if (decision.drop_after) {
      drop_connection(response);
      return;
    }
    if (reply.status == 204) {
      response.status = 204;
      return;
    }
    reply_json(response, reply.status, reply.body);
  };
  if (method == "GET") server_.Get(pattern, wrapped);
  if (method == "POST") server_.Post(pattern, wrapped);
  if (method == "DELETE") server_.Delete(pattern, wrapped);
}

void reply_json(httplib::Response& response, int status, const Json::Value& body) {
  response.status = status;
  response.set_content(to_json_text(body), "application/json");
}

Params request_params(const httplib::Request& request) {
  Params params;
  params.reserve(request.params.size());
  for (const auto& [name, value] : request.params) params.emplace_back(name, value);
  return params;
}

std::unique_ptr<RestApi, RestApiDeleter> make_rest_api(httplib::Server& server, Sandbox& sandbox) {
  return std::unique_ptr<RestApi, RestApiDeleter>(new RestApi(server, sandbox));
}

void RestApiDeleter::operator()(RestApi* api) const { delete api; }

}  // namespace mc::sandbox
