#include "store/store_config.h"

#include <regex>

#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/inspection.h"
#include "store/sqlite/sqlite_store.h"

namespace mc::store {
namespace {

bool is_postgres_url(const std::string& value) {
  return value.rfind("postgresql://", 0) == 0 || value.rfind("postgres://", 0) == 0;
}

postgres::ConnectOptions connect_options(const StoreConfig& config) {
  postgres::ConnectOptions options;
  options.url = config.postgres_url;
  options.sslmode = config.sslmode;
  options.connect_timeout = config.connect_timeout;
  options.statement_timeout = config.statement_timeout;
  return options;
}

Result<StoreInspection> inspect_postgres(const StoreConfig& config) {
  StoreInspection inspection;
  inspection.location = config.location();
  for (const postgres::Migration& migration : postgres::schema_migrations()) {
    inspection.latest_version = std::max(inspection.latest_version, migration.version);
  }
  auto connection = postgres::Connection::open(connect_options(config));
  if (!connection) return connection.status();
  auto version = postgres::schema_version(**connection);
  if (!version) return version.status().annotate("reading " + inspection.location);
  inspection.schema_version = *version;
  // The database is there; the worker creates the tables in it.
  inspection.exists = true;
  inspection.creatable = true;
  return inspection;
}

}  // namespace

std::string StoreConfig::location() const {
  return backend == Backend::kPostgres ? redact_database_url(postgres_url) : sqlite_path;
}

std::string redact_database_url(const std::string& url) {
  static const std::regex userinfo_password(R"(^(postgres(ql)?://[^:/@?#]*):[^@/?#]*@)");
  static const std::regex query_password(R"(([?&]password=)[^&#]*)");
  std::string out = std::regex_replace(url, userinfo_password, "$1:***@");
  return std::regex_replace(out, query_password, "$1***");
}

Result<StoreConfig> load_store_config(const Environment& env) {
  EnvReader reader(env);
  StoreConfig config;
  const std::string state_directory = reader.string("STATE_DIRECTORY", "");
  // systemd may pass several colon-separated directories; the first is ours.
  const std::string base = state_directory.substr(0, state_directory.find(':'));
  const std::string database =
      reader.string("MC_DATABASE", base.empty() ? "masked-comms.db" : base + "/masked-comms.db");
  if (is_postgres_url(database)) {
    config.backend = StoreConfig::Backend::kPostgres;
    config.postgres_url = database;
  } else {
    config.sqlite_path = database;
  }
  config.busy_timeout =
      reader.millis("MC_DB_BUSY_TIMEOUT_MS", config.busy_timeout, std::chrono::milliseconds(0),
                    std::chrono::milliseconds(600000));
  config.pool_size = static_cast<size_t>(reader.integer("MC_DB_POOL_SIZE", 8, 1, 256));
  config.statement_timeout =
      reader.millis("MC_DB_STATEMENT_TIMEOUT_MS", config.statement_timeout,
                    std::chrono::milliseconds(100), std::chrono::milliseconds(600000));
  config.connect_timeout =
      reader.millis("MC_DB_CONNECT_TIMEOUT_MS", config.connect_timeout,
                    std::chrono::milliseconds(1000), std::chrono::milliseconds(60000));
  if (reader.optional_string("MC_DB_SSLMODE")) {
    config.sslmode = reader.choice(
        "MC_DB_SSLMODE", "", {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"});
  }
  if (Status status = reader.status(); !status) return status;
  return config;
}

Result<StoreInspection> inspect_store(const StoreConfig& config) {
  if (config.backend == StoreConfig::Backend::kPostgres) return inspect_postgres(config);
  auto found = sqlite::inspect(config.sqlite_path);
  if (!found) return found.status();
  StoreInspection inspection;
  inspection.location = config.sqlite_path;
  inspection.exists = found->exists;
  inspection.creatable = found->creatable;
  inspection.schema_version = found->schema_version;
  inspection.latest_version = found->latest_version;
  return inspection;
}

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config, Metrics* metrics) {
  if (config.backend == StoreConfig::Backend::kPostgres) {
    postgres::PostgresOptions options;
    options.connect = connect_options(config);
    options.pool_size = config.pool_size;
    auto store = postgres::PostgresStore::open(options, metrics);
    if (!store) return store.status().annotate(config.location());
    return std::unique_ptr<Store>(std::move(store).value());
  }
  auto store = sqlite::SqliteStore::open(config.sqlite_path, config.busy_timeout);
  if (!store) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace mc::store
