#include "pool/pool_config.h"

#include <set>

#include "core/response.h"

namespace mc::pool {

Result<PoolConfig> load_pool_config(const Environment& env, const Geography& geography) {
  EnvReader reader(env);
  PoolConfig config;
  config.capacity = static_cast<int>(reader.integer("MC_NUMBER_CAPACITY", 100, 1, 1000000));
  const std::string geo =
      reader.choice("MC_GEO_MATCH", "country", {"area-code", "region", "country", "any"});
  config.policy.geo_match = geo == "area-code" ? GeoMatch::kAreaCode
                            : geo == "region"  ? GeoMatch::kRegion
                            : geo == "any"     ? GeoMatch::kAny
                                               : GeoMatch::kCountry;
  config.policy.stickiness = reader.choice("MC_NUMBER_SELECTION", "prefer-sticky",
                                           {"prefer-sticky", "avoid-sticky"}) == "avoid-sticky"
                                 ? Stickiness::kAvoidSticky
                                 : Stickiness::kPreferSticky;
  if (auto text = reader.optional_string("NUMBER_POOL")) {
    Json::Value list;
    std::string error;
    if (!parse_json_text(*text, &list, &error) || !list.isArray()) {
      reader.fail("NUMBER_POOL", "expected a JSON array of E.164 numbers");
    } else {
      std::vector<PhoneInfo> numbers;
      std::set<std::string> seen;
      for (const Json::Value& item : list) {
        if (!item.isString()) {
          reader.fail("NUMBER_POOL", "every item must be a string");
          break;
        }
        auto info = geography.describe(item.asString());
        if (!info) {
          reader.fail("NUMBER_POOL", info.status().message());
          break;
        }
        if (seen.insert(info->e164).second) numbers.push_back(*info);
      }
      config.numbers = std::move(numbers);
    }
  }
  config.from_messaging_service =
      reader.choice("MC_POOL_SOURCE", "number-pool", {"number-pool", "messaging-service"}) ==
      "messaging-service";
  if (config.from_messaging_service && config.numbers) {
    reader.fail("MC_POOL_SOURCE",
                "messaging-service reads the pool from the service; unset NUMBER_POOL");
  }
  if (Status status = reader.status(); !status) return status;
  return config;
}

}  // namespace mc::pool
