// The system under test, assembled from the real parts: worker process(es) of the built
// binary on unix sockets, and the real nginx rendered from nginx/ by scripts/dev-nginx in a
// private temporary prefix, listening on free loopback ports. The ledger is a TestLedger
// (support/test_ledger.h): a SQLite file, or a PostgreSQL database when the suite runs on
// that backend.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/process.h"
#include "harness/sandbox_process.h"
#include "net/http_client.h"
#include "store/store.h"
#include "support/test_ledger.h"

namespace mc::testing {

inline constexpr const char* kApiUser = "tester";
inline constexpr const char* kApiPassword = "s3cret-pass";

struct StackOptions {
  int workers = 1;
  // Environment for the workers, on top of the defaults (an empty value unsets).
  std::map<std::string, std::string> worker_env;
  int nginx_keepalive = 8;
  // Workers are started the way systemd's socket units start them: systemd-socket-activate
  // holds the socket and starts the worker (taking it through sd_listen_fds) on the first
  // connection.
  bool socket_activated = false;
  // Starts a twilio-sandbox first and points the workers at it (credentials, base URL,
  // NUMBER_POOL = its numbers) and it at nginx (voice URL, post-event webhook).
  bool with_sandbox = false;
  // Whether the sandbox starts with its numbers' URLs and the Conversations webhook pointing
  // at nginx, as a configured account would (false: nothing set, as a fresh account).
  bool sandbox_wired = true;
  std::vector<std::string> sandbox_args;  // e.g. {"--number-count", "20"}
  // Another host of the same deployment: this stack's workers use that stack's ledger and
  // Twilio sandbox (which keeps calling that stack's nginx), behind an nginx of its own.
  class Stack* same_deployment_as = nullptr;
  // MC_DATABASE for the workers, instead of a TestLedger of the stack's own.
  std::string database;
  // The loopback address nginx listens on.
  std::string address = "127.0.0.1";

  StackOptions& sandboxed(std::vector<std::string> args = {}) {
    with_sandbox = true;
    sandbox_args = std::move(args);
    return *this;
  }

  StackOptions& with_worker_env(const std::string& name, const std::string& value) {
    worker_env[name] = value;
    return *this;
  }
};

class Stack {
 public:
  explicit Stack(StackOptions options = {});
  ~Stack();

  // "http://127.0.0.1:PORT" + path, and the TLS listener's equivalent.
  std::string http_url(const std::string& path) const;
  std::string https_url(const std::string& path) const;

  // A request through nginx's plain-HTTP listener, with the API credentials when `auth`.
  Result<net::HttpResponse> request(const std::string& method, const std::string& path,
                                    const std::string& body = "",
                                    const std::string& content_type = "", bool auth = true);
  Result<net::HttpResponse> send(net::HttpRequest request) { return http_.send(request); }

  Process& worker(size_t index = 0) { return *workers_.at(index); }
  SandboxProcess& sandbox() { return *sandbox_; }
  // The sandbox's pool numbers (what the workers got as NUMBER_POOL).
  const std::vector<std::string>& numbers() const { return numbers_; }
  // Starts worker `index` again (after it was stopped), with the same settings.
  void restart_worker(size_t index);
  // The environment a worker gets (the harness's defaults with StackOptions::worker_env).
  std::map<std::string, std::string> worker_environment() const;
  // Changes the environment workers started (or restarted) from now on get ("" unsets).
  void set_worker_env(const std::string& name, const std::string& value) {
    options_.worker_env[name] = value;
  }
  Process& nginx() { return *nginx_; }
  const std::string& dir() const { return dir_.path(); }
  // MC_DATABASE: the SQLite file's path, or the PostgreSQL database's URL.
  const std::string& database() const;
  // The ledger, opened as another process would open it.
  std::unique_ptr<store::Store> open_ledger() const;
  // Everything the processes logged, for failure messages and log assertions.
  std::string logs() const;

 private:
  void start_worker(size_t index);

  StackOptions options_;
  TempDir dir_;
  std::unique_ptr<TestLedger> ledger_;  // unless it is another stack's
  std::unique_ptr<SandboxProcess> owned_sandbox_;
  SandboxProcess* sandbox_ = nullptr;
  std::vector<std::string> numbers_;
  int http_port_ = 0;
  int https_port_ = 0;
  std::vector<std::unique_ptr<Process>> workers_;
  std::unique_ptr<Process> nginx_;
  net::CurlHttpClient http_;
};

// Paths baked in by CMake.
std::string source_dir();
std::string worker_binary();
std::string maskctl_binary();

}  // namespace mc::testing
