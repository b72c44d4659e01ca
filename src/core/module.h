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

// What init() and check() of a module that talks to Twilio answer when it is not configured.
inline Status needs_twilio() {
  return Status::invalid_argument("needs Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
}

class Module {
 public:
  virtual ~Module() = default;
  // A short lower-case name, as used in MC_MODULES ("admin", "sessions").
  virtual std::string_view name() const = 0;
  // Reads and validates the module's own configuration from context.env, takes the services
  // it needs. Called once, before any request.
  virtual Status init(Context& context) = 0;
  // Validates what init() would (the module's configuration, and that the services it needs
  // are configured) without taking or starting anything: `--check-config`. In `context` the
  // ledger and the services built on it (store, live_sessions, sessions, outbox) are null;
  // twilio and webhooks are there when Twilio is configured.
  virtual Status check(const Context& /*context*/) { return Status::ok(); }
  // Adds the module's routes.
  virtual void routes(Router& router) = 0;
  // Registers the module's hook functions.
  virtual void hooks(Hooks& /*hooks*/) {}
  // Stops background work; called once after the last request.
  virtual void shutdown() {}
};

}  // namespace mc
