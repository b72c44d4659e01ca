// What a module gets at init(): the environment, the core configuration and the shared
// services. Everything here outlives every module. Services a deployment does not configure
// are null.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/hooks.h"
#include "core/metrics.h"

namespace mc {

namespace store {
class Store;
}

struct Context {
  const Environment& env;
  const CoreConfig& config;
  Metrics& metrics;
  Clock& clock;
  Hooks& hooks;                   // for modules that fire hooks
  store::Store* store = nullptr;  // the ledger
  std::string version;
  std::chrono::steady_clock::time_point started_at;
};

}  // namespace mc
