// A Clock for unit tests: time stands still until sleep_for() or advance() moves it, so
// backoff schedules and TTLs are checked exactly and instantly.
#pragma once

#include <mutex>
#include <vector>

#include "core/clock.h"

namespace mc::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(time_point start = std::chrono::system_clock::from_time_t(1800000000))
      : now_(start) {}

  time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  std::chrono::steady_clock::time_point steady_now() const override {
    std::lock_guard lock(mutex_);
    return std::chrono::steady_clock::time_point(now_.time_since_epoch());
  }
  void sleep_for(std::chrono::nanoseconds duration) override {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(duration);
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
  }
  void advance(std::chrono::nanoseconds duration) {
    std::lock_guard lock(mutex_);
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
  }
  std::vector<std::chrono::nanoseconds> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  time_point now_;
  std::vector<std::chrono::nanoseconds> sleeps_;
};

}  // namespace mc::testing
