#include "harness/stack.h"

#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>

namespace mc::testing {

std::string source_dir() { return MC_SOURCE_DIR; }
std::string worker_binary() { return MC_WORKER_BINARY; }
std::string maskctl_binary() { return MC_MASKCTL_BINARY; }

Stack::Stack(StackOptions options) : options_(std::move(options)), dir_("mc-stack") {
  http_port_ = free_port();
  https_port_ = free_port();
  if (Stack* first = options_.same_deployment_as) {
    sandbox_ = first->sandbox_;
    numbers_ = first->numbers_;
  } else if (options_.database.empty()) {
    ledger_ = std::make_unique<TestLedger>(dir());
  }
  if (options_.with_sandbox && sandbox_ == nullptr) {
    std::vector<std::string> args;
    if (options_.sandbox_wired) {
      args = {"--voice-url",
              http_url("/inbound-call"),
              "--status-callback",
              http_url("/call-status"),
              "--post-webhook-url",
              http_url("/conversations-post-event"),
              "--pre-webhook-url",
              http_url("/conversations-pre-event"),
              "--sms-url",
              http_url("/inbound-sms"),
              "--webhook-filters",
              "onConversationStateUpdated,onConversationUpdated,onConversationRemoved,"
              "onMessageAdded,onMessageAdd,onDeliveryUpdated"};
    }
    args.insert(args.end(), options_.sandbox_args.begin(), options_.sandbox_args.end());
    owned_sandbox_ = std::make_unique<SandboxProcess>(dir(), args);
    sandbox_ = owned_sandbox_.get();
    numbers_ = sandbox_->numbers();
  }
  std::vector<std::string> render = {source_dir() + "/scripts/dev-nginx",
                                     "--prefix",
                                     dir() + "/nginx",
                                     "--http-port",
                                     std::to_string(http_port_),
                                     "--https-port",
                                     std::to_string(https_port_),
                                     "--address",
                                     options_.address,
                                     "--user",
                                     kApiUser,
                                     "--password",
                                     kApiPassword,
                                     "--keepalive",
                                     std::to_string(options_.nginx_keepalive)};
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back();
    start_worker(static_cast<size_t>(i));
    render.push_back("--socket");
    render.push_back(dir() + "/worker-" + std::to_string(i) + ".sock");
  }
  {
    Process renderer(render, {}, dir() + "/dev-nginx.log");
    if (renderer.wait(std::chrono::seconds(30)) != 0) {
      throw std::runtime_error("scripts/dev-nginx failed:\n" + renderer.log());
    }
  }
  const std::string prefix = dir() + "/nginx";
  nginx_ = std::make_unique<Process>(
      std::vector<std::string>{"/usr/sbin/nginx", "-p", prefix, "-c", prefix + "/conf/nginx.conf",
                               "-e", prefix + "/logs/error.log"},
      std::map<std::string, std::string>{}, dir() + "/nginx.log");
  const bool up = wait_until(
      [&] {
        net::HttpRequest probe;
        probe.url = http_url("/healthz");
        probe.timeout = std::chrono::seconds(2);
        auto response = http_.send(probe);
        return response.is_ok() && response->status == 200;
      },
      std::chrono::seconds(20));
  if (!up) throw std::runtime_error("the stack did not come up:\n" + logs());
}

Stack::~Stack() {
  if (nginx_) nginx_->stop();
  for (auto& worker : workers_) {
    if (worker) worker->stop();
  }
  owned_sandbox_.reset();  // last: workers may still have been talking to it
}

const std::string& Stack::database() const {
  if (options_.same_deployment_as) return options_.same_deployment_as->database();
  return ledger_ ? ledger_->database() : options_.database;
}

std::unique_ptr<store::Store> Stack::open_ledger() const {
  auto store = open_database(database());
  if (!store) throw std::runtime_error("opening the stack's ledger: " + store.status().to_string());
  return std::move(store).value();
}

void Stack::restart_worker(size_t index) { start_worker(index); }

std::map<std::string, std::string> Stack::worker_environment() const {
  std::map<std::string, std::string> env = {
      {"MC_DATABASE", database()},
      {"MC_MODULES", "admin,diagnostics"},
      {"MC_THREADS", "16"},
      {"MC_SHUTDOWN_TIMEOUT_MS", "10000"},
  };
  if (sandbox_) {
    std::string pool = "[";
    for (const std::string& number : numbers_)
      pool += (pool.size() > 1 ? ",\"" : "\"") + number + "\"";
    pool += "]";
    env["MC_MODULES"] = "admin,sessions,conversations,voice,hotline,proxy,diagnostics";
    env["TWILIO_ACCOUNT_SID"] = kSandboxAccountSid;
    env["TWILIO_AUTH_TOKEN"] = kSandboxAuthToken;
    env["TWILIO_BASE_URL"] = sandbox_->base_url() + "/{product}";
    env["MC_PUBLIC_BASE_URL"] = http_url("");
    env["NUMBER_POOL"] = pool;
    env["MC_SWEEP_INTERVAL_MS"] = "100";
    env["MC_TWILIO_BACKOFF_BASE_MS"] = "10";
    env["MC_TWILIO_BACKOFF_MAX_MS"] = "50";
  }
  for (const auto& [name, value] : options_.worker_env) env[name] = value;
  return env;
}

void Stack::start_worker(size_t index) {
  const std::string socket = dir() + "/worker-" + std::to_string(index) + ".sock";
  const std::map<std::string, std::string> env = worker_environment();
  std::vector<std::string> argv = {worker_binary(), "--socket", socket};
  if (options_.socket_activated) {
    argv = {"/usr/bin/systemd-socket-activate", "--listen", socket};
    for (const auto& [name, value] : env) {
      if (!value.empty()) argv.push_back("--setenv=" + name + "=" + value);
    }
    argv.push_back(worker_binary());
  }
  workers_[index] =
      std::make_unique<Process>(argv, env, dir() + "/worker-" + std::to_string(index) + ".log");
  Process& worker = *workers_[index];
  const bool ready = wait_until(
      [&] {
        struct stat info {};
        const bool listening = stat(socket.c_str(), &info) == 0;
        // A socket-activated worker starts on the first connection.
        return (listening && (options_.socket_activated ||
                              worker.log().find("worker ready") != std::string::npos)) ||
               !worker.running();
      },
      std::chrono::seconds(20));
  if (!ready || !worker.running()) {
    throw std::runtime_error("worker " + std::to_string(index) + " did not start:\n" +
                             worker.log());
  }
}

std::string Stack::http_url(const std::string& path) const {
  return "http://" + options_.address + ":" + std::to_string(http_port_) + path;
}

std::string Stack::https_url(const std::string& path) const {
  return "https://" + options_.address + ":" + std::to_string(https_port_) + path;
}

Result<net::HttpResponse> Stack::request(const std::string& method, const std::string& path,
                                         const std::string& body, const std::string& content_type,
                                         bool auth) {
  net::HttpRequest request;
  request.method = method;
  request.url = http_url(path);
  request.body = body;
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  if (auth) {
    request.username = kApiUser;
    request.password = kApiPassword;
  }
  return http_.send(request);
}

std::string Stack::logs() const {
  std::string out;
  if (sandbox_) out += "--- sandbox\n" + sandbox_->process().log();
  for (size_t i = 0; i < workers_.size(); ++i) {
    if (workers_[i]) out += "--- worker " + std::to_string(i) + "\n" + workers_[i]->log();
  }
  out += "--- nginx error.log\n" + read_file(dir() + "/nginx/logs/error.log");
  return out;
}

}  // namespace mc::testing
