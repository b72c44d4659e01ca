#include "modules/hotline/hotline_config.h"

namespace mc::modules::hotline {

Result<HotlineConfig> load_hotline_config(const Environment& env) {
  EnvReader reader(env);
  HotlineConfig config;
  config.wait_url = reader.string("MC_HOTLINE_WAIT_URL", "");
  config.dial_concurrency = static_cast<int>(
      reader.integer("MC_HOTLINE_DIAL_CONCURRENCY", config.dial_concurrency, 1, 64));
  config.answer_grace = std::chrono::seconds(reader.integer("MC_HOTLINE_ANSWER_GRACE", 15, 0, 600));
  config.thread_idle =
      std::chrono::seconds(reader.integer("MC_HOTLINE_THREAD_IDLE", 86400, 60, 90 * 86400));
  config.sweep_interval =
      std::chrono::milliseconds(reader.integer("MC_HOTLINE_SWEEP_MS", 1000, 50, 600000));
  if (Status status = reader.status(); !status) return status;
  return config;
}

}  // namespace mc::modules::hotline
