// The module contract. A module is one folder under src/modules/ exposing one factory
// function; the list of built-in modules is src/modules/builtin_modules.cpp. The core walks
// that list (ModuleHost) and never includes a module; modules never include each other and
// cooperate through the services in Context and through Hooks.
//
// Lifecycle, in module-list order: init() for every enabled module, then routes() and hooks();
// at exit, shutdown() in reverse order. A failed init() stops the worker at start-up with
// the module's name and the Status message.
#pragma once

#include <string_view>

#include "core/context.h"
#include "core/hooks.h"
#include "core/router.h"
#include "core/status.h"

namespace mc {

class Module {
 public:
  virtual ~Module() = default;
  // A short lower-case name, as used in MC_MODULES ("admin", "sessions").
  virtual std::string_view name() const = 0;
  // Reads and validates the module's own configuration from context.env, takes the services
  // it needs. Called once, before any request.
  virtual Status init(Context& context) = 0;
  // Adds the module's routes.
  virtual void routes(Router& router) = 0;
  // Registers the module's hook functions.
  virtual void hooks(Hooks& /*hooks*/) {}
  // Stops background work; called once after the last request.
  virtual void shutdown() {}
};

}  // namespace mc
