#include "modules/builtin_modules.h"

#include "modules/admin/admin_module.h"
#include "modules/conversations/conversations_module.h"
#include "modules/diagnostics/diagnostics_module.h"
#include "modules/hotline/hotline_module.h"
#include "modules/proxy_api/proxy_api_module.h"
#include "modules/sessions_api/sessions_api_module.h"
#include "modules/voice/voice_module.h"

namespace mc::modules {

std::vector<std::unique_ptr<Module>> make_builtin_modules() {
  std::vector<std::unique_ptr<Module>> modules;
  modules.push_back(make_admin_module());
  modules.push_back(make_sessions_api_module());
  modules.push_back(make_conversations_module());
  modules.push_back(make_voice_module());
  modules.push_back(make_hotline_module());
  modules.push_back(make_proxy_api_module());
  modules.push_back(make_diagnostics_module());
  return modules;
}

}  // namespace mc::modules
