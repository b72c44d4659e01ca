// maskctl: the operator's tool. Reads the worker's configuration, talks to the ledger and
// to Twilio directly, and prints for people or (--json) for scripts. See cli.cpp's usage.
#include <cstdio>

#include "cli.h"
#include "commands.h"
#include "core/log.h"
#include "env_file.h"

using namespace mc::maskctl;

int main(int argc, char** argv) {
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::fputs(kUsage, stdout);
    return kOk;
  }
  auto invocation = parse_invocation(argc, argv);
  if (!invocation) {
    std::fprintf(stderr, "maskctl: %s\n%s", invocation.status().message().c_str(), kUsage);
    return kBadUsage;
  }
  const Output out(invocation->json);
  mc::log::set_level(mc::log::Level::kWarn);  // the libraries' info lines are the worker's
  mc::Environment env = mc::environment_from_process();
  if (!invocation->env_file.empty()) {
    auto overlaid = overlay_env_file(env, invocation->env_file);
    if (!overlaid) return out.error(overlaid.status().message(), exit_code_for(overlaid.status()));
    env = std::move(overlaid).value();
  }
  const std::string& command = invocation->words.front();
  if (command == "doctor") return run_doctor(env, out);
  auto deployment = Deployment::load(env);
  if (!deployment) return out.error(deployment.status().message(), kBadUsage);
  if (command == "pool") return run_pool(*invocation, **deployment, out);
  if (command == "sessions") return run_sessions(*invocation, **deployment, out);
  if (command == "configure") return run_configure(*invocation, **deployment, out);
  std::fprintf(stderr, "maskctl: unknown command '%s'\n%s", command.c_str(), kUsage);
  return kBadUsage;
}
