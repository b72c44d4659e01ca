#include "twilio/retry.h"

#include <algorithm>
#include <cmath>

namespace mc::twilio {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random) {
  const double exponential = static_cast<double>(policy.base_delay.count()) * std::pow(2.0, retry);
  const double cap = std::min(static_cast<double>(policy.max_delay.count()), exponential);
  const double clamped = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(cap * clamped));
}

std::chrono::nanoseconds RateLimiter::reserve(const std::string& endpoint,
                                              std::chrono::steady_clock::time_point now) {
  if (rate_ <= 0) return std::chrono::nanoseconds(0);
  const double burst = std::max(1.0, rate_);
  std::lock_guard lock(mutex_);
  Bucket& bucket = buckets_[endpoint];
  if (!bucket.started) {
    bucket.started = true;
    bucket.tokens = burst;
    bucket.updated = now;
  }
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(burst, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
  bucket.tokens -= 1;
  if (bucket.tokens >= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<int64_t>(-bucket.tokens / rate_ * 1e9));
}

}  // namespace mc::twilio
