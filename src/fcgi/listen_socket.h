// Where the worker's FastCGI listening socket comes from, in order of preference:
//   1. systemd socket activation (sd_listen_fds: LISTEN_PID is our pid, LISTEN_FDS >= 1) ->
//      fd 3;
//   2. `--socket PATH`: a unix socket created at PATH with mode 0660 (a stale socket file
//      left by a dead worker is replaced; any other existing file is an error);
//   3. fd 0, when it is a listening socket (spawn-fcgi).
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"

namespace mc::fcgi {

class ListenSocket {
 public:
  ListenSocket() = default;
  ListenSocket(int fd, std::string created_path, std::string origin)
      : fd_(fd), created_path_(std::move(created_path)), origin_(std::move(origin)) {}
  ListenSocket(ListenSocket&& other) noexcept;
  ListenSocket& operator=(ListenSocket&& other) noexcept;
  ListenSocket(const ListenSocket&) = delete;
  ListenSocket& operator=(const ListenSocket&) = delete;
  // Removes the socket file this process created (never systemd's or spawn-fcgi's).
  ~ListenSocket();

  int fd() const { return fd_; }
  // "systemd", "unix:PATH" or "stdin", for the start-up log line.
  const std::string& origin() const { return origin_; }

 private:
  int fd_ = -1;
  std::string created_path_;
  std::string origin_;
};

// `socket_path` is the --socket argument ("" when not given). Unsets LISTEN_FDS and
// LISTEN_PID so that child processes do not take the socket for theirs.
Result<ListenSocket> acquire_listen_socket(const std::string& socket_path);

}  // namespace mc::fcgi
