#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

#include "core/log.h"
#include "routes.h"

namespace mc::sandbox {

SandboxServer::SandboxServer(Sandbox& sandbox) : sandbox_(sandbox) {
  const int threads = sandbox_.options().http_threads;
  server_.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server_.set_keep_alive_max_count(1000000);
  // Headers and body go out in separate writes; without this, Nagle and delayed ACKs add
  // ~40 ms to every answer.
  server_.set_tcp_nodelay(true);
  // httplib holds a thread per idle keep-alive connection until this timeout, and stop()
  // waits for those threads: keep it short so SIGTERM ends the sandbox promptly.
  server_.set_keep_alive_timeout(3);
  server_.set_read_timeout(60);
  server_.set_write_timeout(60);
  rest_ = make_rest_api(server_, sandbox_);
  register_control_routes(server_, sandbox_);
  server_.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (response.status == 404 && response.body.empty()) {
      reply_json(
          response, 404,
          error_body(404, 20404, "The requested resource " + request.path + " was not found"));
    }
  });
  server_.set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::error("sandbox handler threw", {{"path", request.path}, {"what", what}});
        reply_json(response, 500, error_body(500, 20500, "Internal Server Error"));
      });
}

SandboxServer::~SandboxServer() { stop(); }

namespace {

constexpr int kListenBacklog = 1024;

// Debian's cpp-httplib is a compiled library whose listen() uses a backlog of 5, so bursts
// of new connections lose their SYNs and stall a second (no real Twilio does that). Calling
// listen() again on a listening socket changes its backlog (Linux); httplib does not expose
// the socket, so it is found among this process's descriptors by its bound port.
void widen_listen_backlog(int port) {
  DIR* fds = opendir("/proc/self/fd");
  if (!fds) return;
  while (const dirent* entry = readdir(fds)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == dirfd(fds)) continue;
    int listening = 0;
    socklen_t length = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || !listening) {
      continue;
    }
    sockaddr_storage address{};
    socklen_t address_length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0) continue;
    int bound = -1;
    if (address.ss_family == AF_INET) {
      bound = ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
    } else if (address.ss_family == AF_INET6) {
      bound = ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
    }
    if (bound == port) ::listen(fd, kListenBacklog);
  }
  closedir(fds);
}

}  // namespace

bool SandboxServer::bind(const std::string& host, int port) {
  port_ = port;
  if (!server_.bind_to_port(host, port)) return false;
  widen_listen_backlog(port);
  return true;
}

void SandboxServer::run() { server_.listen_after_bind(); }

void SandboxServer::stop() {
  if (server_.is_running()) server_.stop();
}

}  // namespace mc::sandbox
