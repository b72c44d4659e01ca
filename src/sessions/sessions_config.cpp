#include "sessions/sessions_config.h"

namespace mc::sessions {

Result<SessionsConfig> load_sessions_config(const Environment& env) {
  EnvReader reader(env);
  SessionsConfig config;
  using std::chrono::milliseconds;
  config.delete_closed_conversations =
      reader.choice("MC_CLOSED_CONVERSATION_ACTION", "delete", {"delete", "close"}) == "delete";
  config.batch_concurrency =
      static_cast<int>(reader.integer("MC_PARTICIPANT_BATCH_CONCURRENCY", 40, 1, 64));
  config.creating_timeout = reader.millis("MC_CREATING_TIMEOUT_MS", config.creating_timeout,
                                          milliseconds(1000), milliseconds(86400000));
  config.sweep_interval = reader.millis("MC_SWEEP_INTERVAL_MS", config.sweep_interval,
                                        milliseconds(10), milliseconds(3600000));
  config.outbox_max_backoff = reader.millis("MC_OUTBOX_MAX_BACKOFF_MS", config.outbox_max_backoff,
                                            milliseconds(1000), milliseconds(86400000));
  config.outbox_concurrency =
      static_cast<int>(reader.integer("MC_OUTBOX_CONCURRENCY", config.outbox_concurrency, 1, 256));
  config.reconcile_rate = static_cast<int>(reader.integer("MC_RECONCILE_RATE", 5, 0, 1000));
  config.messaging_service_sid = reader.string("TWILIO_MESSAGING_SERVICE_SID", "");
  if (Status status = reader.status(); !status) return status;
  return config;
}

}  // namespace mc::sessions
