#include "harness/webhook_receiver.h"

#include <stdexcept>

#include "twilio/signature.h"

namespace mc::testing {

WebhookReceiver::WebhookReceiver(std::string auth_token) : auth_token_(std::move(auth_token)) {
  auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    ReceivedRequest received;
    received.method = request.method;
    received.path = request.path;
    received.url = url(request.target);
    received.body = request.body;
    for (const auto& [name, value] : request.headers) received.headers[name] = value;
    for (const auto& [name, value] : request.params) received.params.emplace_back(name, value);
    const std::string signature = request.get_header_value("X-Twilio-Signature");
    const Params signed_params = request.method == "GET" ? Params{} : received.params;
    received.signature_valid = twilio::validate_signature(auth_token_, signature, received.url,
                                                          signed_params, request.body, false);
    std::function<CannedResponse(const ReceivedRequest&)> handler;
    {
      std::lock_guard lock(mutex_);
      received_.push_back(received);
      auto it = handlers_.find(request.path);
      if (it != handlers_.end()) handler = it->second;
    }
    const CannedResponse canned =
        handler ? handler(received) : CannedResponse{200, "", "text/plain"};
    response.status = canned.status;
    response.set_content(canned.body, canned.content_type);
  };
  server_.set_tcp_nodelay(true);
  server_.Get(".*", handle);
  server_.Post(".*", handle);
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("webhook receiver cannot listen");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

WebhookReceiver::~WebhookReceiver() {
  server_.stop();
  thread_.join();
}

std::string WebhookReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::answer(const std::string& path, CannedResponse response) {
  answer(path, [response](const ReceivedRequest&) { return response; });
}

void WebhookReceiver::answer(const std::string& path,
                             std::function<CannedResponse(const ReceivedRequest&)> handler) {
  std::lock_guard lock(mutex_);
  handlers_[path] = std::move(handler);
}

std::vector<ReceivedRequest> WebhookReceiver::received(const std::string& path) const {
  std::lock_guard lock(mutex_);
  std::vector<ReceivedRequest> out;
  for (const ReceivedRequest& request : received_) {
    if (path.empty() || request.path == path) out.push_back(request);
  }
  return out;
}

void WebhookReceiver::clear() {
  std::lock_guard lock(mutex_);
  received_.clear();
}

}  // namespace mc::testing
