// Settings of the session lifecycle, read from the environment:
//   MC_CLOSED_CONVERSATION_ACTION  delete | close: what happens at Twilio to the
//                                  conversation of a closed session (default delete, as
//                                  masked-communications-app does)
//   MC_PARTICIPANT_BATCH_CONCURRENCY  parallel participant adds beyond the first 10 (40: a
//                                     50-person session is added in one round trip)
//   MC_CREATING_TIMEOUT_MS         age after which a session still `creating` is repaired
//                                  by the recovery sweep (default 120000)
//   MC_SWEEP_INTERVAL_MS           how often expiry, recovery and the outbox run (1000)
//   MC_OUTBOX_MAX_BACKOFF_MS       longest wait between outbox attempts (600000)
//   MC_OUTBOX_CONCURRENCY          outbox items carried out at once, per worker (16)
//   MC_RECONCILE_RATE              live sessions checked against Twilio per second, per
//                                  worker process (5; 0 turns the check off). Each live
//                                  session is checked at least every
//                                  (live sessions / (rate * workers)) seconds.
#pragma once

#include <chrono>
#include <string>

#include "core/config.h"

namespace mc::sessions {

struct SessionsConfig {
  bool delete_closed_conversations = true;
  int batch_concurrency = 40;
  std::chrono::milliseconds creating_timeout{120000};
  std::chrono::milliseconds sweep_interval{1000};
  std::chrono::milliseconds outbox_max_backoff{600000};
  int outbox_concurrency = 16;
  int reconcile_rate = 5;             // conversation fetches per second
  std::string messaging_service_sid;  // from TWILIO_MESSAGING_SERVICE_SID
};

Result<SessionsConfig> load_sessions_config(const Environment& env);

}  // namespace mc::sessions
