// Proxy-number selection: which pool number a participant gets.
//
// Never: a number the participant already holds in an active session; a reserved or retired
// number (a reserved one only when requested by name); a number at its capacity. Among the
// rest, geography first (same area code > same region > same country > elsewhere, as far as
// the policy's geo-match allows), then, with prefer-sticky, the number the participant last
// used with one of the same counterparts, then the least loaded, then the lowest number.
//
// Selection reads through CandidateSource, which the store implements inside the
// transaction that reserves the chosen number, with a few indexed queries whatever the
// pool and ledger sizes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pool/geography.h"

namespace mc::pool {

// How far a proxy number may be from its participant.
enum class GeoMatch {
  kAreaCode,  // same area code only
  kRegion,    // same region (state, province) at least
  kCountry,   // same country at least: never a foreign number
  kAny,       // prefer close numbers, accept any
};
enum class Stickiness { kPreferSticky, kAvoidSticky };

struct SelectionPolicy {
  GeoMatch geo_match = GeoMatch::kCountry;
  Stickiness stickiness = Stickiness::kPreferSticky;
  // The Proxy service whose numbers may be chosen; "" for the default service (the pool
  // numbers no other service has: NUMBER_POOL's, where POST /sessions draws from).
  std::string service_sid;
};

// A pool number as selection sees it.
struct Candidate {
  std::string number;
  std::string country;
  std::string area_code;
  std::string region;
  bool reserved = false;
  bool retired = false;
  int capacity = 0;
  int load = 0;
  std::string service_sid;  // "" for the default service
  bool has_room() const { return load < capacity; }
};

// A geographic tier of the pool; empty fields do not constrain.
struct Tier {
  std::string country;
  std::string area_code;
  std::string region;
  std::string service_sid;  // always constrains: "" is the default service
};

class CandidateSource {
 public:
  virtual ~CandidateSource() = default;
  // Proxy numbers `address` must not be given: those it holds in active sessions, and those
  // it has opted out of texts from (STOP), which Twilio would refuse to text it from.
  virtual Result<std::vector<std::string>> numbers_held_by(const std::string& address) = 0;
  // The proxy number `address` had in its most recent session with any of `counterparts`.
  virtual Result<std::optional<std::string>> sticky_number(
      const std::string& address, const std::vector<std::string>& counterparts) = 0;
  // Up to `limit` selectable numbers (not reserved, not retired, below capacity) of the
  // tier and its service, least loaded first, then by number.
  virtual Result<std::vector<Candidate>> least_loaded(const Tier& tier, size_t limit) = 0;
  // One pool number, whatever its state.
  virtual Result<std::optional<Candidate>> candidate(const std::string& number) = 0;
};

// API code and message of pool exhaustion (the masked-communications-app text).
inline constexpr int kNoNumberAvailable = 80206;
inline constexpr int kInvalidRequest = 20400;  // a requested number that is not in the pool
Status no_number_available(const std::string& address);

// Chooses the proxy number for `participant`, whose session also includes `counterparts`.
// `requested` names a specific pool number of the policy's service (reserved ones
// allowed); a number of another service is never chosen. Errors: pool
// exhaustion (CONFLICT, kNoNumberAvailable, "Not enough numbers available in pool for
// <address>"), a requested number that is not in the pool or not usable (INVALID_ARGUMENT or
// CONFLICT), or the source's own errors.
Result<std::string> select_proxy_number(CandidateSource& source, const PhoneInfo& participant,
                                        const std::vector<std::string>& counterparts,
                                        const SelectionPolicy& policy,
                                        const std::optional<std::string>& requested = std::nullopt);

}  // namespace mc::pool
