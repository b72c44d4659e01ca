#include "sessions/housekeeper.h"

#include "core/log.h"

namespace mc::sessions {
namespace {

constexpr size_t kOutboxBatch = 100;
// Batches carried out in a row while they come back full, before the other sweeps get a
// turn (a backlog is drained at the outbox's concurrency, not one batch a round).
constexpr size_t kOutboxBatchesInARow = 20;

}  // namespace

size_t Housekeeper::drain_outbox() {
  size_t done = 0;
  for (size_t batch = 0; batch < kOutboxBatchesInARow; ++batch) {
    const size_t completed = outbox_.run_due(kOutboxBatch);
    done += completed;
    std::lock_guard lock(mutex_);
    if (completed < kOutboxBatch || stopping_) break;
  }
  return done;
}

void Housekeeper::run_once() {
  const size_t recovered = sessions_.recover_stuck();
  const size_t expired = sessions_.expire_due();
  const size_t done = drain_outbox();
  const size_t gone = sessions_.reconcile_with_twilio(reconcile_per_round_);
  size_t others = 0;
  for (const auto& step : steps_) others += step();
  if (recovered + expired + done + gone + others > 0) {
    log::debug("housekeeping", {{"recovered", recovered},
                                {"expired", expired},
                                {"outbox_done", done},
                                {"gone_at_twilio", gone},
                                {"other_steps", others}});
  }
}

void Housekeeper::start() {
  outbox_.set_wake([this] {
    {
      std::lock_guard lock(mutex_);
      outbox_woken_ = true;
    }
    wake_.notify_all();
  });
  thread_ = std::thread([this] {
    auto next_round = std::chrono::steady_clock::now();
    while (true) {
      const bool full_round = std::chrono::steady_clock::now() >= next_round;
      try {
        if (full_round) {
          run_once();
        } else {
          drain_outbox();
        }
      } catch (const std::exception& e) {
        log::error("housekeeping failed", {{"what", e.what()}});
      }
      if (full_round) next_round = std::chrono::steady_clock::now() + interval_;
      std::unique_lock lock(mutex_);
      if (wake_.wait_until(lock, next_round, [this] { return stopping_ || outbox_woken_; }) &&
          stopping_) {
        return;
      }
      outbox_woken_ = false;
    }
  });
}

void Housekeeper::stop() {
  outbox_.set_wake(nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mc::sessions
