// Time as a dependency, so tests of timers, TTLs and backoff run on a fake clock.
#pragma once

#include <chrono>

namespace mc {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Wall-clock time (for timestamps and expiry).
  virtual time_point now() const = 0;
  // Monotonic time (for durations and deadlines).
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  // Blocks the calling thread for `duration` (a fake clock advances instead).
  virtual void sleep_for(std::chrono::nanoseconds duration) = 0;
};

// The real clocks.
class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::now();
  }
  void sleep_for(std::chrono::nanoseconds duration) override;
};

}  // namespace mc
