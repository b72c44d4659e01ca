// The sandbox's HTTP surface on one cpp-httplib listener: the Twilio REST API
// (rest_api.h: rest_conversations.cpp, rest_numbers.cpp) under /conversations/v1, /api/2010-04-01
// and /messaging/v1, and the control API of the phone network (control_routes.cpp) under /sandbox.
#pragma once

#include <httplib.h>

#include <memory>

#include "sandbox.h"

namespace mc::sandbox {

class RestApi;
struct RestApiDeleter {
  void operator()(RestApi* api) const;
};
std::unique_ptr<RestApi, RestApiDeleter> make_rest_api(httplib::Server& server, Sandbox& sandbox);
void register_control_routes(httplib::Server& server, Sandbox& sandbox);

// Writes a JSON body with `status`.
void reply_json(httplib::Response& response, int status, const Json::Value& body);
// The request's parameters (query and form body).
Params request_params(const httplib::Request& request);

class SandboxServer {
 public:
  explicit SandboxServer(Sandbox& sandbox);
  ~SandboxServer();
  // Binds the listener; false when it cannot. The port must be the one the Sandbox was
  // configured with, since resource URLs point back at it.
  bool bind(const std::string& host, int port);
  int port() const { return port_; }
  // Serves until stop().
  void run();
  void stop();

 private:
  Sandbox& sandbox_;
  httplib::Server server_;
  std::unique_ptr<RestApi, RestApiDeleter> rest_;
  int port_ = 0;
};

}  // namespace mc::sandbox
