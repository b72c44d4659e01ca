#include "core/metrics.h"

#include <cstdio>

namespace mc {
namespace {

std::string format_double(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

}  // namespace

void Metrics::record_request(std::string_view route, int status, std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(std::string(route), status);
  ++requests_[key];
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.emplace(std::string(route), Histogram{}).first;
  Histogram& histogram = it->second;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum_seconds += seconds;
}

void Metrics::add_counter(std::string_view name, std::string_view labels, int64_t delta) {
  std::lock_guard lock(mutex_);
  counters_[std::make_pair(std::string(name), std::string(labels))] += delta;
}

std::string Metrics::render_prometheus() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP mc_http_requests_total Requests answered, by route pattern and HTTP status.\n";
  out += "# TYPE mc_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "mc_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP mc_http_request_duration_seconds Time from request read to response built.\n";
  out += "# TYPE mc_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    const std::string label = "route=\"" + route + "\"";
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      out += "mc_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             format_double(kLatencyBuckets[i]) + "\"} " + std::to_string(histogram.buckets[i]) +
             "\n";
    }
    out += "mc_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(histogram.count) + "\n";
    out += "mc_http_request_duration_seconds_sum{" + label + "} " +
           format_double(histogram.sum_seconds) + "\n";
    out += "mc_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(histogram.count) + "\n";
  }
  out += "# HELP mc_http_requests_in_flight Requests being handled now.\n";
  out += "# TYPE mc_http_requests_in_flight gauge\n";
  out += "mc_http_requests_in_flight " + std::to_string(in_flight()) + "\n";
  std::string last_name;
  for (const auto& [key, value] : counters_) {
    if (key.first != last_name) {
      out += "# TYPE " + key.first + " counter\n";
      last_name = key.first;
    }
    out += key.first + (key.second.empty() ? "" : "{" + key.second + "}") + " " +
           std::to_string(value) + "\n";
  }
  return out;
}

}  // namespace mc
