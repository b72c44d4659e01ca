#include "core/clock.h"

#include <thread>

namespace mc {

void SystemClock::sleep_for(std::chrono::nanoseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace mc
