#include "core/idle_cpu.h"

#include <fstream>
#include <sstream>
#include <string>

namespace mc {

double IdleCpuMeter::idle_since_last() {
  std::ifstream stat("/proc/stat");
  std::string line;
  if (!stat || !std::getline(stat, line) || line.rfind("cpu ", 0) != 0) return 1.0;
  std::istringstream fields(line.substr(4));
  // user nice system idle iowait irq softirq steal (guest time is inside user and nice)
  uint64_t value = 0, total = 0, idle = 0;
  for (int i = 0; i < 8 && fields >> value; ++i) {
    total += value;
    if (i == 3 || i == 4) idle += value;
  }
  const uint64_t total_delta = total - total_;
  const uint64_t idle_delta = idle - idle_;
  const bool first = total_ == 0;
  total_ = total;
  idle_ = idle;
  if (first || total_delta == 0) return 1.0;
  return static_cast<double>(idle_delta) / static_cast<double>(total_delta);
}

}  // namespace mc
