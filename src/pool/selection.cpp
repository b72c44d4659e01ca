#include "pool/selection.h"

#include <algorithm>

namespace mc::pool {
namespace {

// The tiers to try, closest first, as far as the policy allows.
std::vector<Tier> tiers_for(const PhoneInfo& participant, const SelectionPolicy& policy) {
  const std::string& service = policy.service_sid;
  std::vector<Tier> tiers;
  if (!participant.area_code.empty()) {
    tiers.push_back({participant.country, participant.area_code, "", service});
  }
  if (policy.geo_match == GeoMatch::kAreaCode) return tiers;
  if (!participant.region.empty()) {
    tiers.push_back({participant.country, "", participant.region, service});
  }
  if (policy.geo_match == GeoMatch::kRegion) return tiers;
  tiers.push_back({participant.country, "", "", service});
  if (policy.geo_match == GeoMatch::kCountry) return tiers;
  tiers.push_back({"", "", "", service});
  return tiers;
}

bool in_tier(const Candidate& candidate, const Tier& tier) {
  return (tier.country.empty() || candidate.country == tier.country) &&
         (tier.area_code.empty() || candidate.area_code == tier.area_code) &&
         (tier.region.empty() || candidate.region == tier.region);
}

bool contains(const std::vector<std::string>& numbers, const std::string& number) {
  return std::find(numbers.begin(), numbers.end(), number) != numbers.end();
}

}  // namespace

Status no_number_available(const std::string& address) {
  return Status::conflict("Not enough numbers available in pool for " + address,
                          kNoNumberAvailable);
}

Result<std::string> select_proxy_number(CandidateSource& source, const PhoneInfo& participant,
                                        const std::vector<std::string>& counterparts,
                                        const SelectionPolicy& policy,
                                        const std::optional<std::string>& requested) {
  auto held = source.numbers_held_by(participant.e164);
  if (!held) return held.status();

  if (requested) {
    auto candidate = source.candidate(*requested);
    if (!candidate) return candidate.status();
    if (!*candidate || (*candidate)->retired || (*candidate)->service_sid != policy.service_sid) {
      return Status::invalid_argument(
          "proxyAddresses: " + *requested + " is not a number of the pool", kInvalidRequest);
    }
    if (contains(*held, *requested)) {
      return Status::conflict("proxyAddresses: " + participant.e164 + " already holds " +
                                  *requested + " in an active session",
                              kNoNumberAvailable);
    }
    if (!(*candidate)->has_room()) {
      return Status::conflict("proxyAddresses: " + *requested + " is at its capacity",
                              kNoNumberAvailable);
    }
    return *requested;
  }

  std::optional<std::string> sticky;
  if (!counterparts.empty()) {
    auto found = source.sticky_number(participant.e164, counterparts);
    if (!found) return found.status();
    sticky = *found;
  }
  std::optional<Candidate> sticky_candidate;
  if (sticky && !contains(*held, *sticky)) {
    auto candidate = source.candidate(*sticky);
    if (!candidate) return candidate.status();
    if (*candidate && !(*candidate)->reserved && !(*candidate)->retired &&
        (*candidate)->service_sid == policy.service_sid && (*candidate)->has_room()) {
      sticky_candidate = **candidate;
    }
  }

  for (const Tier& tier : tiers_for(participant, policy)) {
    if (policy.stickiness == Stickiness::kPreferSticky && sticky_candidate &&
        in_tier(*sticky_candidate, tier)) {
      return sticky_candidate->number;
    }
    // Enough rows that some are neither held nor (when avoided) the sticky number.
    const size_t limit = held->size() + 2;
    auto candidates = source.least_loaded(tier, limit);
    if (!candidates) return candidates.status();
    std::optional<std::string> avoided;
    for (const Candidate& candidate : *candidates) {
      if (contains(*held, candidate.number)) continue;
      if (policy.stickiness == Stickiness::kAvoidSticky && sticky && candidate.number == *sticky) {
        avoided = candidate.number;
        continue;
      }
      return candidate.number;
    }
    if (avoided) return *avoided;  // avoided, but better than nothing in this tier
  }
  return no_number_available(participant.e164);
}

}  // namespace mc::pool
