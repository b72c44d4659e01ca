// The list of built-in modules, in start-up order (like nginx's ngx_modules[]). MC_MODULES
// chooses which of them run.
#pragma once

#include <memory>
#include <vector>

#include "core/module.h"

namespace mc::modules {

std::vector<std::unique_ptr<Module>> make_builtin_modules();

}  // namespace mc::modules
