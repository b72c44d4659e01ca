#include "harness/sandbox_process.h"

#include <signal.h>

#include <stdexcept>

#include "core/response.h"

namespace mc::testing {

std::string sandbox_binary() { return MC_SANDBOX_BINARY; }

SandboxProcess::SandboxProcess(const std::string& directory, std::vector<std::string> arguments)
    : directory_(directory), arguments_(std::move(arguments)), port_(free_port()) {
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);
  start();
}

SandboxProcess::~SandboxProcess() {
  http_.reset();
  if (process_) process_->stop();
}

void SandboxProcess::start() {
  std::vector<std::string> argv = {
      sandbox_binary(), "--listen",         "127.0.0.1:" + std::to_string(port_),
      "--account-sid",  kSandboxAccountSid, "--auth-token",
      kSandboxAuthToken};
  argv.insert(argv.end(), arguments_.begin(), arguments_.end());
  if (!http_) http_ = std::make_unique<net::CurlHttpClient>();
  process_ =
      std::make_unique<Process>(argv, std::map<std::string, std::string>{},
                                directory_ + "/sandbox-" + std::to_string(++starts_) + ".log");
  const bool ready = wait_until(
      [&] { return process_->log().find("ready ") != std::string::npos || !process_->running(); },
      std::chrono::seconds(20));
  if (!ready || !process_->running()) {
    throw std::runtime_error("twilio-sandbox did not start:\n" + process_->log());
  }
}

int SandboxProcess::stop() {
  http_.reset();
  process_->signal(SIGTERM);
  return process_->wait(std::chrono::seconds(20)).value_or(-1);
}

void SandboxProcess::restart() {
  if (process_ && process_->running()) stop();
  start();
}

Result<net::HttpResponse> SandboxProcess::rest(const std::string& method, const std::string& path,
                                               const Params& params, const std::string& token) {
  net::HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.username = kSandboxAccountSid;
  request.password = token;
  if (method == "GET") {
    if (!params.empty()) request.url += "?" + encode_form(params);
  } else if (method == "POST") {
    request.body = encode_form(params);
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  return http_->send(request);
}

Result<net::HttpResponse> SandboxProcess::rest_url(const std::string& url) {
  net::HttpRequest request;
  request.url = url;
  request.username = kSandboxAccountSid;
  request.password = kSandboxAuthToken;
  return http_->send(request);
}

Result<net::HttpResponse> SandboxProcess::control(const std::string& method,
                                                  const std::string& path, const Params& params) {
  net::HttpRequest request;
  request.method = method;
  request.url = base_url_ + "/sandbox" + path;
  request.timeout = std::chrono::seconds(60);
  if (method == "GET") {
    if (!params.empty()) request.url += "?" + encode_form(params);
  } else {
    request.body = encode_form(params);
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  return http_->send(request);
}

Json::Value SandboxProcess::json(const net::HttpResponse& response) {
  Json::Value value;
  std::string error;
  if (!parse_json_text(response.body, &value, &error)) {
    throw std::runtime_error("not JSON (" + error + "): " + response.body);
  }
  return value;
}

std::vector<std::string> SandboxProcess::numbers() {
  std::vector<std::string> out;
  auto response = control("GET", "/numbers");
  if (!response) return out;
  for (const Json::Value& number : json(*response))
    out.push_back(number["phone_number"].asString());
  return out;
}

}  // namespace mc::testing
