// Retrying Twilio requests: exponential backoff with full jitter, bounded in attempts and in
// total time, and a token bucket per endpoint that keeps the request rate under a limit.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace mc::twilio {

struct RetryPolicy {
  int max_attempts = 4;  // including the first
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{2000};
  std::chrono::milliseconds budget{10000};  // from the first attempt to the last start
};

// The wait before retry number `retry` (0 for the first retry): uniform in
// [0, min(max_delay, base_delay * 2^retry)) ("full jitter"); `unit_random` is in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random);

// Token buckets, one per endpoint name, all with the same rate; a burst of one second's
// worth. Thread-safe.
class RateLimiter {
 public:
  // `requests_per_second` <= 0 disables limiting.
  explicit RateLimiter(double requests_per_second) : rate_(requests_per_second) {}
  // Takes a token for `endpoint` and says how long to wait before sending (0 when one was
  // available). Waiting callers queue in order: tokens may be borrowed from the future.
  std::chrono::nanoseconds reserve(const std::string& endpoint,
                                   std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
    bool started = false;
  };
  const double rate_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;  // guarded by mutex_
};

}  // namespace mc::twilio
