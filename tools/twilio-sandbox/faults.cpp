#include "faults.h"

#include <cmath>
#include <cstdlib>

namespace mc::sandbox {
namespace {

bool parse_number(const std::string& text, double* value) {
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(*value) && *value >= 0;
}

}  // namespace

Result<LatencySpec> LatencySpec::parse(const std::string& text) {
  LatencySpec spec;
  if (text.rfind("lognormal:", 0) == 0) {
    const std::string rest = text.substr(10);
    const size_t colon = rest.find(':');
    if (colon == std::string::npos || !parse_number(rest.substr(0, colon), &spec.a_ms) ||
        !parse_number(rest.substr(colon + 1), &spec.b_ms) || spec.a_ms <= 0 ||
        spec.b_ms < spec.a_ms) {
      return Status::invalid_argument("latency: expected lognormal:MEDIAN_MS:P99_MS, got " + text);
    }
    spec.kind = Kind::kLogNormal;
    return spec;
  }
  const size_t dots = text.find("..");
  if (dots != std::string::npos) {
    if (!parse_number(text.substr(0, dots), &spec.a_ms) ||
        !parse_number(text.substr(dots + 2), &spec.b_ms) || spec.b_ms < spec.a_ms) {
      return Status::invalid_argument("latency: expected MIN..MAX milliseconds, got " + text);
    }
    spec.kind = Kind::kUniform;
    return spec;
  }
  if (!parse_number(text, &spec.a_ms)) {
    return Status::invalid_argument("latency: expected milliseconds, got " + text);
  }
  spec.kind = spec.a_ms > 0 ? Kind::kFixed : Kind::kNone;
  return spec;
}

std::chrono::microseconds LatencySpec::sample(std::mt19937_64& random) const {
  double ms = 0;
  switch (kind) {
    case Kind::kNone:
      break;
    case Kind::kFixed:
      ms = a_ms;
      break;
    case Kind::kUniform:
      ms = std::uniform_real_distribution<double>(a_ms, b_ms)(random);
      break;
    case Kind::kLogNormal: {
      // p99 = median * exp(2.326 sigma)
      const double sigma = std::log(b_ms / a_ms) / 2.326;
      ms = std::lognormal_distribution<double>(std::log(a_ms), sigma)(random);
      break;
    }
  }
  return std::chrono::microseconds(static_cast<int64_t>(ms * 1000));
}

std::string LatencySpec::to_string() const {
  char buffer[64];
  switch (kind) {
    case Kind::kNone:
      return "0";
    case Kind::kFixed:
      std::snprintf(buffer, sizeof buffer, "%g", a_ms);
      break;
    case Kind::kUniform:
      std::snprintf(buffer, sizeof buffer, "%g..%g", a_ms, b_ms);
      break;
    case Kind::kLogNormal:
      std::snprintf(buffer, sizeof buffer, "lognormal:%g:%g", a_ms, b_ms);
      break;
  }
  return buffer;
}

Result<FaultRule> FaultRule::parse(const std::string& text) {
  FaultRule rule;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
    start = comma == std::string::npos ? text.size() : comma + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string::npos)
      return Status::invalid_argument("fault: expected key=value, got " + item);
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    double number = 0;
    if (key == "latency") {
      auto latency = LatencySpec::parse(value);
      if (!latency) return latency.status();
      rule.latency = *latency;
      continue;
    }
    if (!parse_number(value, &number)) {
      return Status::invalid_argument("fault: " + key + " must be a non-negative number, got " +
                                      value);
    }
    const bool is_rate = key == "429" || key == "5xx" || key == "drop" || key == "drop_after";
    if (is_rate && number > 1) {
      return Status::invalid_argument("fault: " + key + " is a fraction from 0 to 1, got " + value);
    }
    if (key == "429") {
      rule.rate_429 = number;
    } else if (key == "5xx") {
      rule.rate_5xx = number;
    } else if (key == "drop") {
      rule.rate_drop = number;
    } else if (key == "drop_after") {
      rule.rate_drop_after = number;
    } else if (key == "rate") {
      rule.requests_per_second = number;
    } else if (key == "concurrency") {
      rule.concurrency = static_cast<int>(number);
    } else if (key == "times") {
      rule.times = static_cast<int>(number);
    } else {
      return Status::invalid_argument("fault: unknown key " + key);
    }
  }
  return rule;
}

Result<FaultRule> FaultRule::from_json(const Json::Value& value) {
  if (!value.isObject()) return Status::invalid_argument("a fault rule must be a JSON object");
  std::string text;
  for (const std::string& key : value.getMemberNames()) {
    if (key == "endpoint") continue;
    if (!text.empty()) text += ",";
    text += key + "=" + value[key].asString();
  }
  return parse(text);
}

Json::Value FaultRule::to_json() const {
  Json::Value out(Json::objectValue);
  out["latency"] = latency.to_string();
  out["429"] = rate_429;
  out["5xx"] = rate_5xx;
  out["drop"] = rate_drop;
  out["drop_after"] = rate_drop_after;
  out["rate"] = requests_per_second;
  out["concurrency"] = concurrency;
  out["times"] = times;
  return out;
}

FaultInjector::FaultInjector(uint64_t seed) : random_(seed != 0 ? seed : std::random_device{}()) {}

void FaultInjector::set(const std::string& endpoint, const FaultRule& rule) {
  std::lock_guard lock(mutex_);
  rules_[endpoint] = rule;
  buckets_.erase(endpoint);
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  rules_.clear();
  buckets_.clear();
}

Json::Value FaultInjector::to_json() const {
  std::lock_guard lock(mutex_);
  Json::Value out(Json::objectValue);
  for (const auto& [endpoint, rule] : rules_) out[endpoint] = rule.to_json();
  return out;
}

std::pair<const std::string*, FaultRule*> FaultInjector::rule_for(const std::string& endpoint) {
  auto it = rules_.find(endpoint);
  if (it == rules_.end()) it = rules_.find("*");
  if (it == rules_.end()) return {nullptr, nullptr};
  return {&it->first, &it->second};
}

void FaultInjector::spend(const std::string& key) {
  auto it = rules_.find(key);
  if (it == rules_.end() || it->second.times <= 0) return;
  if (--it->second.times == 0) {
    rules_.erase(it);
    buckets_.erase(key);
  }
}

FaultInjector::Decision FaultInjector::begin(const std::string& endpoint) {
  std::lock_guard lock(mutex_);
  Decision decision;
  ++in_flight_[endpoint];
  auto [key, rule] = rule_for(endpoint);
  if (!rule) return decision;
  decision.delay = rule->latency.sample(random_);
  if (rule->concurrency > 0 && in_flight_[endpoint] > rule->concurrency) {
    decision.action = Action::kTooManyRequests;
  } else if (rule->requests_per_second > 0 && !take_token(endpoint, *rule)) {
    decision.action = Action::kTooManyRequests;
  } else {
    std::uniform_real_distribution<double> chance(0, 1);
    if (chance(random_) < rule->rate_drop) {
      decision.action = Action::kDrop;
    } else if (chance(random_) < rule->rate_429) {
      decision.action = Action::kTooManyRequests;
    } else if (chance(random_) < rule->rate_5xx) {
      decision.action = Action::kServerError;
    } else {
      decision.drop_after = chance(random_) < rule->rate_drop_after;
    }
  }
  if (decision.action != Action::kProceed || decision.drop_after) spend(*key);
  return decision;
}

bool FaultInjector::take_token(const std::string& endpoint, const FaultRule& rule) {
  Bucket& bucket = buckets_[endpoint];
  const auto now = std::chrono::steady_clock::now();
  const double capacity = std::max(1.0, rule.requests_per_second);
  if (bucket.refilled.time_since_epoch().count() == 0) {
    bucket.tokens = capacity;
  } else {
    bucket.tokens = std::min(
        capacity, bucket.tokens + std::chrono::duration<double>(now - bucket.refilled).count() *
                                      rule.requests_per_second);
  }
  bucket.refilled = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

void FaultInjector::end(const std::string& endpoint) {
  std::lock_guard lock(mutex_);
  --in_flight_[endpoint];
}

}  // namespace mc::sandbox
