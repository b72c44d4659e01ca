// The idle-CPU meter the call journal's folder waits on (calls/call_log.h).
#include "core/idle_cpu.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>
#include <vector>

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(idle_cpu)

BOOST_AUTO_TEST_CASE(the_first_look_is_idle_and_every_look_is_a_share) {
  IdleCpuMeter meter;
  BOOST_TEST(meter.idle_since_last() == 1.0);  // nothing to compare with yet
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const double idle = meter.idle_since_last();
  BOOST_TEST(idle >= 0.0);
  BOOST_TEST(idle <= 1.0);
}

BOOST_AUTO_TEST_CASE(every_cpu_kept_busy_is_not_idle) {
  IdleCpuMeter meter;
  (void)meter.idle_since_last();
  std::atomic<bool> stop{false};
  std::vector<std::thread> spinners;
  for (unsigned i = 0; i < std::max(1u, std::thread::hardware_concurrency()); ++i) {
    spinners.emplace_back([&] {
      volatile uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) n = n + 1;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const double idle = meter.idle_since_last();
  stop = true;
  for (std::thread& t : spinners) t.join();
  BOOST_TEST(idle < 0.5);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
