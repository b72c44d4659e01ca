#include "sessions/housekeeper.h"

#include "core/log.h"

namespace mc::sessions {

void Housekeeper::run_once() {
  const size_t recovered = sessions_.recover_stuck();
  const size_t expired = sessions_.expire_due();
  const size_t done = outbox_.run_due(100);
  const size_t gone = sessions_.reconcile_with_twilio(reconcile_per_round_);
  if (recovered + expired + done + gone > 0) {
    log::debug("housekeeping", {{"recovered", recovered},
                                {"expired", expired},
                                {"outbox_done", done},
                                {"gone_at_twilio", gone}});
  }
}

void Housekeeper::start() {
  thread_ = std::thread([this] {
    while (true) {
      try {
        run_once();
      } catch (const std::exception& e) {
        log::error("housekeeping failed", {{"what", e.what()}});
      }
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
  });
}

void Housekeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace mc::sessions
