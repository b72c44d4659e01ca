// Twilio-style SIDs: two upper-case letters and 32 lower-case hex digits ("CH3f1c...").
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace mc::sandbox {

class SidGenerator {
 public:
  // A fixed seed makes the sequence repeatable (--seed); 0 seeds from the system.
  explicit SidGenerator(uint64_t seed = 0);
  std::string next(std::string_view prefix);
  // 32 hex digits without a prefix, e.g. for idempotency tokens.
  std::string hex32();

 private:
  std::mutex mutex_;
  std::mt19937_64 random_;
};

// True for a well-formed SID with this prefix.
bool is_sid(std::string_view text, std::string_view prefix);

}  // namespace mc::sandbox
