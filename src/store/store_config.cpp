#include "store/store_config.h"

#include "store/sqlite/inspection.h"
#include "store/sqlite/sqlite_store.h"

namespace mc::store {

Result<StoreConfig> load_store_config(const Environment& env) {
  EnvReader reader(env);
  StoreConfig config;
  const std::string state_directory = reader.string("STATE_DIRECTORY", "");
  // systemd may pass several colon-separated directories; the first is ours.
  const std::string base = state_directory.substr(0, state_directory.find(':'));
  config.sqlite_path =
      reader.string("MC_DATABASE", base.empty() ? "masked-comms.db" : base + "/masked-comms.db");
  config.busy_timeout =
      reader.millis("MC_DB_BUSY_TIMEOUT_MS", config.busy_timeout, std::chrono::milliseconds(0),
                    std::chrono::milliseconds(600000));
  if (Status status = reader.status(); !status) return status;
  return config;
}

Result<StoreInspection> inspect_store(const StoreConfig& config) {
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

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config) {
  auto store = sqlite::SqliteStore::open(config.sqlite_path, config.busy_timeout);
  if (!store) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace mc::store
