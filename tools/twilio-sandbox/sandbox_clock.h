// The sandbox's notion of time: real time plus an offset that tests move forward, so that
// conversation timers and ring timeouts can be exercised without waiting.
#pragma once

#include <atomic>
#include <chrono>

#include "core/time_format.h"

namespace mc::sandbox {

class SandboxClock {
 public:
  TimePoint now() const {
    return std::chrono::system_clock::now() + std::chrono::milliseconds(offset_ms_.load());
  }
  void advance(std::chrono::milliseconds by) { offset_ms_ += by.count(); }
  void reset() { offset_ms_ = 0; }
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace mc::sandbox
