// The session lifecycle's background work in a worker process: at start and then every
// sweep interval, repair sessions a crash left `creating`, close sessions whose TTL or
// expiry has passed, carry out due outbox items, and check a few live sessions against
// Twilio (reconcile_per_round of them: MC_RECONCILE_RATE times the interval). Every step is safe
// with several worker processes sharing the ledger (conditional updates, outbox leases).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "sessions/outbox.h"
#include "sessions/session_service.h"

namespace mc::sessions {

class Housekeeper {
 public:
  Housekeeper(SessionService& sessions, Outbox& outbox, std::chrono::milliseconds interval,
              size_t reconcile_per_round = 0)
      : sessions_(sessions),
        outbox_(outbox),
        interval_(interval),
        reconcile_per_round_(reconcile_per_round) {}
  ~Housekeeper() { stop(); }

  // Starts the background thread, and makes Outbox::wake() run due outbox items at once
  // (between full rounds, and without the reconciliation's Twilio budget).
  void start();
  // Finishes the current round and stops. Idempotent.
  void stop();
  // One round, synchronously (start() runs one at once).
  void run_once();
  // A step of another service run at the end of every round (the message log's retention
  // sweep): it returns how much it did. Before start().
  void add_step(std::function<size_t()> step) { steps_.push_back(std::move(step)); }

 private:
  // Due outbox items, batch after batch while they come back full (bounded, and never
  // past stop()); how many were completed.
  size_t drain_outbox();

  SessionService& sessions_;
  Outbox& outbox_;
  const std::chrono::milliseconds interval_;
  const size_t reconcile_per_round_;
  std::vector<std::function<size_t()>> steps_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;      // guarded by mutex_
  bool outbox_woken_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace mc::sessions
