// An HTTP endpoint in the test process that plays "the application": records every request
// it gets (checking X-Twilio-Signature against the sandbox's token) and answers with what
// the test configured per path.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/params.h"

namespace mc::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::string url;  // as the sender addressed it: http://127.0.0.1:PORT/path?query
  Params params;    // form body (POST) or query (GET)
  std::string body;
  std::map<std::string, std::string> headers;
  bool signature_valid = false;
};

struct CannedResponse {
  int status = 200;
  std::string body;
  std::string content_type = "text/xml";
};

class WebhookReceiver {
 public:
  // `auth_token` is what signatures are checked against.
  explicit WebhookReceiver(std::string auth_token);
  ~WebhookReceiver();

  std::string url(const std::string& path) const;
  // What to answer on `path` (default: 200 with an empty body).
  void answer(const std::string& path, CannedResponse response);
  void answer(const std::string& path,
              std::function<CannedResponse(const ReceivedRequest&)> handler);
  // Requests received on `path` (all paths when empty), oldest first.
  std::vector<ReceivedRequest> received(const std::string& path = "") const;
  void clear();

 private:
  std::string auth_token_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, std::function<CannedResponse(const ReceivedRequest&)>> handlers_;
  std::vector<ReceivedRequest> received_;
};

}  // namespace mc::testing
