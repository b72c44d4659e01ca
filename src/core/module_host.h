// Walks the module list like nginx walks ngx_modules[]: picks the enabled modules in list
// order, starts them, and shuts them down in reverse order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/module.h"

namespace mc {

class ModuleHost {
 public:
  // `available` is the full built-in list; `enabled` names the modules to run (MC_MODULES).
  ModuleHost(std::vector<std::unique_ptr<Module>> available, std::vector<std::string> enabled);
  ~ModuleHost();

  // Checks that every enabled name exists, then init()s each enabled module and adds its
  // routes and hooks. On the first failure returns an error naming the module; modules
  // already started are shut down again.
  Status start(Context& context, Router& router, Hooks& hooks);
  // Checks the names, then check()s each enabled module (module.h): nothing is started.
  Status check(const Context& context);
  // Shuts the started modules down in reverse order. Idempotent.
  void shutdown();

  std::vector<std::string> started_names() const;

 private:
  // INVALID_ARGUMENT naming the first enabled name that is not a built-in module.
  Status check_names() const;
  bool enabled(const Module& module) const;

  std::vector<std::unique_ptr<Module>> available_;
  std::vector<std::string> enabled_;
  std::vector<Module*> started_;
};

}  // namespace mc
