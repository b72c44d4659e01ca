// The FastCGI server: a fixed pool of threads, each blocking in FCGX_Accept_r on the shared
// listening socket and handing requests to a core RequestHandler. This folder is the only
// code that touches libfcgi.
//
// Shutdown: SIGTERM or SIGINT stops accepting (threads waiting for a request are woken and
// leave), lets requests in flight finish and write their responses, then returns. Requests
// still running after `shutdown_timeout` are abandoned (run() reports it).
#pragma once

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/application.h"

namespace mc::fcgi {

struct ServerOptions {
  int threads = 16;
  size_t max_body_bytes = 256 * 1024;
  std::chrono::milliseconds shutdown_timeout{10000};
};

class Server {
 public:
  enum class Outcome {
    kClean,     // every request finished; all threads joined
    kTimedOut,  // requests were still running at the timeout; threads were NOT joined and
                // the caller must end the process without running destructors (std::_Exit)
  };

  Server(int listen_fd, ServerOptions options, RequestHandler& handler);

  // Serves until SIGTERM/SIGINT, then shuts down as described above.
  Outcome run();

 private:
  enum class SlotState { kStarting, kWaiting, kBusy, kDone };
  struct Slot {
    pthread_t thread{};
    SlotState state = SlotState::kStarting;
  };

  void thread_main(size_t index);
  void serve(void* fcgx_request);
  // Interrupts the threads that are waiting for a request (not the busy ones).
  void wake_waiting_threads();

  const int listen_fd_;
  const ServerOptions options_;
  RequestHandler& handler_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;       // guarded by mutex_
  std::vector<Slot> slots_;     // guarded by mutex_
  size_t running_threads_ = 0;  // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace mc::fcgi
