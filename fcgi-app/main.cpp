// masked-comms-worker: wires configuration, the store, the modules and the FastCGI server
// together. Nothing else lives here.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/application.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/module_host.h"
#include "core/shutdown_signals.h"
#include "fcgi/listen_socket.h"
#include "fcgi/server.h"
#include "fcgi/service_manager.h"
#include "modules/builtin_modules.h"
#include "services.h"

namespace {

constexpr const char* kUsage =
    "usage: masked-comms-worker [--socket PATH] [--check-config] [--version]\n"
    "  --socket PATH    listen on a new unix socket at PATH (mode 0660); without it the\n"
    "                   worker takes systemd's socket (LISTEN_FDS) or fd 0 (spawn-fcgi)\n"
    "  --check-config   validate the configuration from the environment and exit, changing\n"
    "                   nothing (no migration, no NUMBER_POOL applied, nothing started)\n"
    "Configuration comes from environment variables; see the README.\n";

struct Arguments {
  std::string socket_path;
  bool check_config = false;
};

bool parse_arguments(int argc, char** argv, Arguments* arguments) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--socket" && i + 1 < argc) {
      arguments->socket_path = argv[++i];
    } else if (arg == "--check-config") {
      arguments->check_config = true;
    } else if (arg == "--version") {
      std::printf("masked-comms-worker %s\n", MC_VERSION);
      std::exit(0);
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      std::fprintf(stderr, "masked-comms-worker: unknown argument '%s'\n%s", arg.c_str(), kUsage);
      return false;
    }
  }
  return true;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ",") + name;
  return text;
}

int fail(std::string_view what, const mc::Status& status) {
  mc::log::error(what, {{"error", status.message()}});
  return 2;
}

// --check-config: everything start-up validates, with nothing written, created or started
// (no migration, no NUMBER_POOL applied, no module started).
int check_configuration(mc::worker::ServiceConfig service_config, const mc::Environment& env,
                        const mc::CoreConfig& config, mc::ModuleHost& modules, mc::Clock& clock,
                        mc::Metrics& metrics, mc::Hooks& hooks) {
  mc::store::StoreInspection ledger;
  auto services = mc::worker::build_services_for_check(std::move(service_config), clock, &ledger);
  if (!services) return fail("configuration error", services.status());
  mc::Context context{env, config, metrics, clock, hooks};
  services->expose(context);
  if (mc::Status s = modules.check(context); !s) return fail("configuration error", s);
  if (ledger.exists) {
    std::printf("configuration ok; ledger %s at schema version %d of %d%s\n",
                ledger.location.c_str(), ledger.schema_version, ledger.latest_version,
                ledger.schema_version < ledger.latest_version ? " (migrated at start-up)" : "");
  } else {
    std::printf("configuration ok; ledger %s will be created at start-up\n",
                ledger.location.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  mc::block_shutdown_signals();  // before any thread exists
  Arguments arguments;
  if (!parse_arguments(argc, argv, &arguments)) return 2;

  const mc::Environment env = mc::environment_from_process();
  auto config = mc::load_core_config(env);
  if (!config) return fail("configuration error", config.status());
  mc::log::set_level(config->log_level);
  mc::SystemClock clock;
  mc::Metrics metrics;
  mc::Hooks hooks;
  auto service_config = mc::worker::load_service_config(env);
  if (!service_config) return fail("configuration error", service_config.status());
  mc::ModuleHost modules(mc::modules::make_builtin_modules(), config->modules);
  if (arguments.check_config) {
    return check_configuration(std::move(service_config).value(), env, *config, modules, clock,
                               metrics, hooks);
  }
  const bool shared_ledger =
      service_config->store.backend == mc::store::StoreConfig::Backend::kPostgres;
  auto services =
      mc::worker::build_services(std::move(service_config).value(), clock, metrics, hooks);
  if (!services) return fail("start-up failed", services.status());

  mc::Application application(*config, metrics);
  mc::Context context{env, *config, metrics, clock, hooks};
  context.version = MC_VERSION;
  context.started_at = clock.steady_now();
  services->expose(context);
  if (const mc::twilio::WebhookValidator* webhooks = services->webhooks.get()) {
    application.set_webhook_check(
        [webhooks](const mc::Request& request) { return webhooks->is_from_twilio(request); });
  }
  if (mc::Status s = modules.start(context, application.router(), hooks); !s) {
    return fail("start-up failed", s);
  }

  auto listen_socket = mc::fcgi::acquire_listen_socket(arguments.socket_path);
  if (!listen_socket) return fail("listen socket error", listen_socket.status());
  mc::log::info(
      "worker starting",
      {{"version", MC_VERSION}, {"socket", listen_socket->origin()}, {"threads", config->threads}});

  mc::fcgi::Server server(listen_socket->fd(),
                          {config->threads, config->max_body_bytes, config->shutdown_timeout},
                          application);
  services->live_sessions->start();  // when a module requires it
  if (services->housekeeper) services->housekeeper->start();
  mc::fcgi::ServiceManager systemd;
  systemd.ready("serving on " + listen_socket->origin() + ", modules " + joined(config->modules));
  // The watchdog restarts a worker whose own ledger is stuck (a SQLite file it cannot use).
  // A PostgreSQL ledger is shared: its outage is the database's, which restarting every
  // worker would not cure; /healthz reports it (degraded) and requests answer 503 until the
  // pool reconnects, so the watchdog only asks that the worker be alive.
  systemd.start_watchdog([store = services->store.get(), shared_ledger] {
    return shared_ledger || store->ping().is_ok();
  });
  const mc::fcgi::Server::Outcome outcome = server.run();
  systemd.stopping();
  if (services->housekeeper) services->housekeeper->stop();
  services->live_sessions->stop();
  if (outcome == mc::fcgi::Server::Outcome::kTimedOut) {
    // Threads are still inside handlers: leave without destructors that would pull the
    // store and modules out from under them.
    std::_Exit(1);
  }
  modules.shutdown();
  return 0;
}
