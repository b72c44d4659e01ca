// An HTTP client behind a narrow interface: the Twilio client, the sandbox's webhook
// delivery and the test harness use it; unit tests substitute fakes.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace mc::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Basic auth, sent when `username` is not empty.
  std::string username;
  std::string password;
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{5000};
  bool verify_tls = true;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; the last value wins
  std::string body;

  const std::string* header(const std::string& name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a response; errors are transport failures only: UNAVAILABLE when the
  // server could not be reached or the connection broke, DEADLINE_EXCEEDED on timeout.
  // Thread-safe.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// libcurl, with connections kept and reused across calls (a pool of easy handles, one
// borrowed per call, so concurrent calls do not wait for each other).
class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient() override;

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  void* borrow_handle();
  void give_back_handle(void* handle);

  std::mutex mutex_;
  std::vector<void*> idle_handles_;  // CURL*; guarded by mutex_
};

}  // namespace mc::net
