// An in-process HttpClient for unit tests: records every request and answers with
// whatever `responder` says (by default 200 with an empty TwiML document).
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "net/http_client.h"

namespace mc::testing {

class FakeHttp final : public net::HttpClient {
 public:
  std::function<net::HttpResponse(const net::HttpRequest&)> responder =
      [](const net::HttpRequest&) {
        net::HttpResponse response;
        response.status = 200;
        response.body = "<Response/>";
        return response;
      };

  Result<net::HttpResponse> send(const net::HttpRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    return responder(request);
  }

  std::vector<net::HttpRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  std::vector<net::HttpRequest> requests_;
};

inline net::HttpResponse twiml(std::string document, int status = 200) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(document);
  response.headers["content-type"] = "text/xml";
  return response;
}

inline std::string header_of(const net::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace mc::testing
