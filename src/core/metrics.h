// Request metrics for /metrics, in Prometheus text format: counts by route and status, a
// latency histogram by route, and the number of requests in flight. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace mc {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0};

  // `route` is the matched pattern ("/sessions/{id}") or "unmatched", never a raw path, so
  // label cardinality stays bounded.
  void record_request(std::string_view route, int status, std::chrono::nanoseconds latency);
  void request_started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void request_finished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

  // A named counter owned by a module (e.g. "mc_twilio_requests_total"); `labels` is the
  // already formatted label set, e.g. `endpoint="calls"`.
  void add_counter(std::string_view name, std::string_view labels, int64_t delta = 1);

  std::string render_prometheus() const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum_seconds = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t, std::less<>> requests_;  // guarded by mutex_
  std::map<std::string, Histogram, std::less<>> latency_;                  // guarded by mutex_
  std::map<std::pair<std::string, std::string>, int64_t, std::less<>> counters_;  // guarded
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace mc
