#include "fcgi/server.h"

#include <fcgiapp.h>
#include <signal.h>

#include <cstring>
#include <string>

#include "core/log.h"
#include "core/shutdown_signals.h"
#include "fcgi/request_builder.h"
#include "fcgi/response_writer.h"

namespace mc::fcgi {
namespace {

// Sent to threads blocked in accept() or in a read on an idle kept connection, so the call
// fails with EINTR; its handler does nothing.
constexpr int kWakeSignal = SIGUSR2;
constexpr size_t kDrainChunk = 16 * 1024;
constexpr auto kWakeInterval = std::chrono::milliseconds(20);

void ignore_signal(int) {}

void install_wake_handler() {
  struct sigaction action {};
  action.sa_handler = ignore_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: blocked accept()/read() must return EINTR
  sigaction(kWakeSignal, &action, nullptr);
}

// Reads and discards the rest of the request body in fixed chunks, so that a kept
// connection stays in sync without the body ever being held in memory.
void drain_input(FCGX_Stream* in) {
  char buffer[kDrainChunk];
  while (FCGX_GetStr(buffer, sizeof buffer, in) > 0) {
  }
}

}  // namespace

Server::Server(int listen_fd, ServerOptions options, RequestHandler& handler)
    : listen_fd_(listen_fd), options_(options), handler_(handler) {}

void Server::serve(void* fcgx_request) {
  auto* request = static_cast<FCGX_Request*>(fcgx_request);
  const FcgiParams params = params_from_envp(request->envp);
  Response response;
  try {
    Result<size_t> length = acceptable_body_length(params, options_.max_body_bytes);
    if (!length) {
      drain_input(request->in);
      const int code = length.status().code() == StatusCode::kPayloadTooLarge
                           ? api_code::kBodyTooLarge
                           : api_code::kBadRequest;
      response = Response::error(length.status().http_status(), code, length.status().message());
      handler_.count_transport_response(response.status);
      log::warn("request body refused", {{"path", fcgi_param(params, "DOCUMENT_URI")},
                                         {"error", length.status().message()}});
    } else {
      std::string body(*length, '\0');
      const int read =
          *length == 0 ? 0 : FCGX_GetStr(body.data(), static_cast<int>(body.size()), request->in);
      if (read != static_cast<int>(body.size())) {
        response = Response::error(400, api_code::kBadRequest,
                                   "request body is shorter than its Content-Length");
        handler_.count_transport_response(response.status);
      } else {
        Request core_request = build_request(params, std::move(body));
        response = handler_.handle(core_request);
      }
    }
  } catch (const std::exception& e) {
    log::error("request failed in the transport", {{"what", e.what()}});
    response = Response::error(500, api_code::kInternalError, "internal error");
    handler_.count_transport_response(response.status);
  }
  const std::string head = format_response_head(response);
  FCGX_PutStr(head.data(), static_cast<int>(head.size()), request->out);
  FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), request->out);
}

void Server::thread_main(size_t index) {
  FCGX_Request request;
  FCGX_InitRequest(&request, listen_fd_, FCGI_FAIL_ACCEPT_ON_INTR);
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      slots_[index].state = SlotState::kWaiting;
    }
    const int accepted = FCGX_Accept_r(&request);
    {
      std::lock_guard lock(mutex_);
      if (accepted < 0) {
        if (stopping_) break;
        continue;  // an interrupted or failed accept; libfcgi has closed what it had open
      }
      // A request that arrived is served even when shutdown has begun: nginx already sent it.
      slots_[index].state = SlotState::kBusy;
    }
    serve(&request);
    FCGX_Finish_r(&request);
  }
  FCGX_Free(&request, 1);  // closes a kept connection
  std::lock_guard lock(mutex_);
  slots_[index].state = SlotState::kDone;
  --running_threads_;
  changed_.notify_all();
}

void Server::wake_waiting_threads() {
  for (Slot& slot : slots_) {
    if (slot.state == SlotState::kWaiting || slot.state == SlotState::kStarting) {
      pthread_kill(slot.thread, kWakeSignal);
    }
  }
}

Server::Outcome Server::run() {
  install_wake_handler();
  FCGX_Init();
  {
    std::lock_guard lock(mutex_);
    slots_.resize(static_cast<size_t>(options_.threads));
    running_threads_ = slots_.size();
  }
  for (size_t i = 0; i < static_cast<size_t>(options_.threads); ++i) {
    threads_.emplace_back([this, i] { thread_main(i); });
    std::lock_guard lock(mutex_);
    slots_[i].thread = threads_.back().native_handle();
  }
  log::info("worker ready", {{"threads", options_.threads}});

  const int received = wait_for_shutdown_signal();
  log::info("shutting down", {{"signal", strsignal(received)}});

  FCGX_ShutdownPending();
  const auto deadline = std::chrono::steady_clock::now() + options_.shutdown_timeout;
  std::unique_lock lock(mutex_);
  stopping_ = true;
  while (running_threads_ > 0) {
    // Re-sent on every round: a thread may have been between its state change and its
    // blocking call when the previous signal arrived.
    wake_waiting_threads();
    if (std::chrono::steady_clock::now() >= deadline) {
      size_t busy = 0;
      for (const Slot& slot : slots_) busy += slot.state == SlotState::kBusy ? 1 : 0;
      log::error("shutdown timeout with requests still running", {{"busy", busy}});
      return Outcome::kTimedOut;
    }
    changed_.wait_for(lock, kWakeInterval);
  }
  lock.unlock();
  for (std::thread& thread : threads_) thread.join();
  log::info("worker stopped");
  return Outcome::kClean;
}

}  // namespace mc::fcgi
