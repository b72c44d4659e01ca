// The twilio-sandbox binary, started for a test on a free loopback port, with helpers for
// its REST API (Basic auth) and its control API.
#pragma once

#include <json/value.h>

#include <memory>
#include <string>
#include <vector>

#include "core/params.h"
#include "harness/process.h"
#include "net/http_client.h"

namespace mc::testing {

inline constexpr const char* kSandboxAccountSid = "AC5a0d000000000000000000000000c0de";
inline constexpr const char* kSandboxAuthToken = "integration-sandbox-token";

class SandboxProcess {
 public:
  // `arguments` are added to --listen/--account-sid/--auth-token.
  SandboxProcess(const std::string& directory, std::vector<std::string> arguments);
  ~SandboxProcess();

  const std::string& base_url() const { return base_url_; }
  int port() const { return port_; }
  Process& process() { return *process_; }
  // Stops the process (SIGTERM) and waits; returns its exit code.
  int stop();
  // Starts it again with the same arguments and port.
  void restart();

  // A REST call: `path` below the base ("/conversations/v1/Conversations").
  Result<net::HttpResponse> rest(const std::string& method, const std::string& path,
                                 const Params& params = {},
                                 const std::string& token = kSandboxAuthToken);
  // Follows an absolute URL the sandbox returned (next_page_url).
  Result<net::HttpResponse> rest_url(const std::string& url);
  // A control call below /sandbox.
  Result<net::HttpResponse> control(const std::string& method, const std::string& path,
                                    const Params& params = {});
  // Parses a JSON body, failing the test when it is not JSON.
  static Json::Value json(const net::HttpResponse& response);

  std::vector<std::string> numbers();

 private:
  void start();

  std::string directory_;
  std::vector<std::string> arguments_;
  int port_ = 0;
  std::string base_url_;
  int starts_ = 0;
  std::unique_ptr<Process> process_;
  // Reset before the process is stopped: an idle keep-alive connection would make the
  // sandbox's shutdown wait for its keep-alive timeout.
  std::unique_ptr<net::CurlHttpClient> http_ = std::make_unique<net::CurlHttpClient>();
};

std::string sandbox_binary();

}  // namespace mc::testing
