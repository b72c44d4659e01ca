// The admin module: operator endpoints, restricted to local clients by nginx.
//
//   GET /healthz  {"status":"ok","version":"0.1.0","uptime_seconds":12,
//                  "store":{"reachable":true}}; 503 with status "degraded" when the store
//                  does not answer.
//   GET /metrics  Prometheus text format (see core/metrics.h).
//
// Configuration keys: none.
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_admin_module();

}  // namespace mc::modules
