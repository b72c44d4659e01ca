// Faults the sandbox injects into its REST API, per endpoint ("calls.create", ...) or for
// all ("*"): added latency (fixed, uniform or log-normal), a fraction of 429 and 5xx answers,
// a fraction of connections dropped before the request is processed ("drop") or after
// ("drop_after": the work is done but the client never hears), a rate limit and a
// concurrency limit that answer 429 as Twilio does.
//
// Text form (command line): "latency=50,429=0.1,5xx=0.05,drop=0.01,drop_after=0.01,rate=20,
// concurrency=4,times=1"; latency is "50" (ms), "20..80" (uniform) or "lognormal:50:200"
// (median, p99); `times` makes a rule expire after that many injected faults ("drop the
// next answer": drop_after=1,times=1).
#pragma once

#include <json/value.h>

#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include "core/status.h"

namespace mc::sandbox {

struct LatencySpec {
  enum class Kind { kNone, kFixed, kUniform, kLogNormal } kind = Kind::kNone;
  double a_ms = 0;  // fixed value, lower bound, or median
  double b_ms = 0;  // upper bound, or p99
  static Result<LatencySpec> parse(const std::string& text);
  std::chrono::microseconds sample(std::mt19937_64& random) const;
  std::string to_string() const;
};

struct FaultRule {
  LatencySpec latency;
  double rate_429 = 0;
  double rate_5xx = 0;
  double rate_drop = 0;
  double rate_drop_after = 0;
  double requests_per_second = 0;  // 0: unlimited
  int concurrency = 0;             // 0: unlimited
  int times = 0;                   // the rule ends after injecting this many faults; 0: never

  static Result<FaultRule> parse(const std::string& text);
  static Result<FaultRule> from_json(const Json::Value& value);
  Json::Value to_json() const;
};

class FaultInjector {
 public:
  enum class Action { kProceed, kTooManyRequests, kServerError, kDrop };
  struct Decision {
    Action action = Action::kProceed;
    std::chrono::microseconds delay{0};
    bool drop_after = false;
  };

  explicit FaultInjector(uint64_t seed = 0);

  // "*" applies to endpoints without a rule of their own.
  void set(const std::string& endpoint, const FaultRule& rule);
  void clear();
  Json::Value to_json() const;

  // Decides the fate of one request to `endpoint`; every begin() must be followed by end()
  // with the same endpoint once the request is answered.
  Decision begin(const std::string& endpoint);
  void end(const std::string& endpoint);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  // The rule applying to `endpoint` and the key it is stored under.
  std::pair<const std::string*, FaultRule*> rule_for(const std::string& endpoint);
  // Counts one injected fault against a `times` budget, removing the rule when spent.
  void spend(const std::string& key);
  // The rate limit's token bucket: false when `endpoint` has no token left.
  bool take_token(const std::string& endpoint, const FaultRule& rule);

  mutable std::mutex mutex_;
  std::map<std::string, FaultRule> rules_;  // guarded by mutex_
  std::map<std::string, int> in_flight_;    // guarded by mutex_
  std::map<std::string, Bucket> buckets_;   // guarded by mutex_
  std::mt19937_64 random_;                  // guarded by mutex_
};

}  // namespace mc::sandbox
