// How much of the machine's CPU went unused, from the kernel's counters (/proc/stat: all
// CPUs, idle and iowait). For background work that should take only what is spare.
#pragma once

#include <cstdint>

namespace mc {

class IdleCpuMeter {
 public:
  // The share of CPU time (0 to 1) that was idle since the previous call (since the first,
  // for the first: 1.0 then). 1.0 where /proc/stat cannot be read, so that nothing waits
  // on a meter that cannot measure.
  double idle_since_last();

 private:
  uint64_t total_ = 0;
  uint64_t idle_ = 0;
};

}  // namespace mc
