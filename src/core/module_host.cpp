#include "core/module_host.h"

#include <algorithm>

#include "core/log.h"

namespace mc {

ModuleHost::ModuleHost(std::vector<std::unique_ptr<Module>> available,
                       std::vector<std::string> enabled)
    : available_(std::move(available)), enabled_(std::move(enabled)) {}

ModuleHost::~ModuleHost() { shutdown(); }

Status ModuleHost::check_names() const {
  for (const std::string& name : enabled_) {
    const bool known = std::any_of(available_.begin(), available_.end(),
                                   [&](const auto& module) { return module->name() == name; });
    if (!known) {
      std::string names;
      for (const auto& module : available_) {
        if (!names.empty()) names += ", ";
        names += module->name();
      }
      return Status::invalid_argument("MC_MODULES: unknown module '" + name +
                                      "'; built-in modules are " + names);
    }
  }
  return Status::ok();
}

bool ModuleHost::enabled(const Module& module) const {
  return std::find(enabled_.begin(), enabled_.end(), module.name()) != enabled_.end();
}

Status ModuleHost::check(const Context& context) {
  if (Status s = check_names(); !s) return s;
  for (const auto& module : available_) {
    if (!enabled(*module)) continue;
    if (Status status = module->check(context); !status) {
      return status.annotate("module " + std::string(module->name()));
    }
  }
  return Status::ok();
}

Status ModuleHost::start(Context& context, Router& router, Hooks& hooks) {
  if (Status s = check_names(); !s) return s;
  for (const auto& module : available_) {
    if (!enabled(*module)) continue;
    if (Status status = module->init(context); !status) {
      shutdown();
      return status.annotate("module " + std::string(module->name()));
    }
    started_.push_back(module.get());
    module->routes(router);
    module->hooks(hooks);
    log::info("module started", {{"module", module->name()}});
  }
  return Status::ok();
}

void ModuleHost::shutdown() {
  while (!started_.empty()) {
    Module* module = started_.back();
    started_.pop_back();
    module->shutdown();
  }
}

std::vector<std::string> ModuleHost::started_names() const {
  std::vector<std::string> names;
  for (const Module* module : started_) names.emplace_back(module->name());
  return names;
}

}  // namespace mc
