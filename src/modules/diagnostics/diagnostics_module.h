// The diagnostics module: routes for checking a deployment end to end. Disabled unless
// MC_MODULES names it; the integration tests enable it.
//
//   GET /diagnostics/whoami          (API) {"user": REMOTE_USER as the worker saw it}
//   GET /diagnostics/sleep?ms=N      (API) answers after N ms (at most 60000): a slow request
//   GET /diagnostics/throw           (API) the handler throws; the worker answers 500
//
// Configuration keys: none.
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_diagnostics_module();

}  // namespace mc::modules
