#include "fcgi/listen_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace mc::fcgi {
namespace {

constexpr int kBacklog = 1024;

bool is_listening_socket(int fd) {
  int listening = 0;
  socklen_t length = sizeof listening;
  return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening != 0;
}

std::string errno_text() { return std::strerror(errno); }

Result<ListenSocket> create_unix_socket(const std::string& path) {
  sockaddr_un address{};
  if (path.size() >= sizeof address.sun_path) {
    return Status::invalid_argument("--socket: path too long: " + path);
  }
  struct stat existing {};
  if (lstat(path.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) {
      return Status::invalid_argument("--socket: " + path + " exists and is not a socket");
    }
    unlink(path.c_str());  // a stale socket from a worker that did not clean up
  }
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::internal("socket(): " + errno_text());
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  // 0660 from the start: the socket is never reachable by others, not even briefly.
  const mode_t old_mask = umask(0117);
  const int bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  umask(old_mask);
  if (bound != 0) {
    const std::string error = errno_text();
    close(fd);
    return Status::invalid_argument("--socket: cannot bind " + path + ": " + error);
  }
  if (chmod(path.c_str(), 0660) != 0 || listen(fd, kBacklog) != 0) {
    const std::string error = errno_text();
    close(fd);
    unlink(path.c_str());
    return Status::internal("--socket: cannot listen on " + path + ": " + error);
  }
  return ListenSocket(fd, path, "unix:" + path);
}

}  // namespace

ListenSocket::ListenSocket(ListenSocket&& other) noexcept { *this = std::move(other); }

ListenSocket& ListenSocket::operator=(ListenSocket&& other) noexcept {
  std::swap(fd_, other.fd_);
  std::swap(created_path_, other.created_path_);
  std::swap(origin_, other.origin_);
  return *this;
}

ListenSocket::~ListenSocket() {
  if (!created_path_.empty()) unlink(created_path_.c_str());
}

Result<ListenSocket> acquire_listen_socket(const std::string& socket_path) {
  // sd_listen_fds checks LISTEN_PID against our pid and unsets the variables (1).
  const int passed = sd_listen_fds(1);
  if (passed < 0) {
    return Status::invalid_argument(std::string("LISTEN_FDS: ") + std::strerror(-passed));
  }
  if (passed >= 1) {
    if (sd_is_socket(SD_LISTEN_FDS_START, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
      return Status::invalid_argument("LISTEN_FDS: fd 3 from systemd is not a listening socket");
    }
    return ListenSocket(SD_LISTEN_FDS_START, "", "systemd");
  }
  if (!socket_path.empty()) return create_unix_socket(socket_path);
  if (is_listening_socket(STDIN_FILENO)) return ListenSocket(STDIN_FILENO, "", "stdin");
  return Status::invalid_argument(
      "no listening socket: pass --socket PATH, or start the worker through systemd socket "
      "activation or spawn-fcgi");
}

}  // namespace mc::fcgi
