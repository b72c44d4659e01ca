// The pool's configuration, read from the environment:
//   NUMBER_POOL            JSON array of E.164 numbers (as masked-communications-app); when
//                          set it defines the pool: listed numbers are added, others retired
//   MC_POOL_SOURCE         number-pool (default: NUMBER_POOL, when set, defines the pool) or
//                          messaging-service: the numbers of TWILIO_MESSAGING_SERVICE_SID,
//                          read at start-up (A2P 10DLC: texts must come from the service's
//                          numbers); `maskctl pool sync --from messaging-service` re-reads it
//   MC_NUMBER_CAPACITY     active participants one number may serve (default 100)
//   MC_GEO_MATCH           area-code | region | country | any (default country)
//   MC_NUMBER_SELECTION    prefer-sticky | avoid-sticky (default prefer-sticky)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "pool/geography.h"
#include "pool/selection.h"

namespace mc::pool {

struct PoolConfig {
  std::optional<std::vector<PhoneInfo>> numbers;  // nullopt: NUMBER_POOL unset
  bool from_messaging_service = false;            // MC_POOL_SOURCE=messaging-service
  int capacity = 100;
  SelectionPolicy policy;
};

Result<PoolConfig> load_pool_config(const Environment& env, const Geography& geography);

}  // namespace mc::pool
