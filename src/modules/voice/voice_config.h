// Internal to the voice module: its configuration (masked-communications-app's names where
// it had them) and a session's own voice options.
//   OUT_OF_SESSION_MESSAGE_FOR_CALL  said to callers with no active session
//   CONNECTING_CALL_ANNOUCEMENT      said before connecting (unset: nothing)
//   CALL_ANNOUCEMENT_VOICE, CALL_ANNOUCEMENT_LANGUAGE  <Say> voice and language (unset: omitted)
//   MC_VOICE_RECORD (false), MC_VOICE_TIME_LIMIT (14400 s), MC_VOICE_RING_TIMEOUT (30 s)
//                                    defaults of the per-session options below
//   MC_VOICE_OUTBOUND_CONCURRENCY (8)  parallel outbound calls for a conference
//   MC_CALL_LOG_QUEUE (50000)        call records and statuses waiting to be written
//   MC_CALL_LOG_WINDOW_MS (5)        extra wait for a batch of them to fill (call_log.h)
//   MC_CALL_JOURNAL (true)           on SQLite, journal them first and apply them at low CPU
//                                    priority (call_log.h); PostgreSQL writes them directly
#pragma once

#include <string>

#include "core/config.h"

namespace mc::modules::voice {

struct VoiceConfig {
  std::string out_of_session_message = "Your session has ended. Please call our main line.";
  std::string connecting_announcement;
  std::string voice;
  std::string language;
  bool record = false;
  int time_limit_seconds = 14400;
  int ring_timeout_seconds = 30;
  int outbound_concurrency = 8;
  int64_t call_log_queue = 50000;
  int64_t call_log_window_ms = 5;
  bool call_journal = true;
};

Result<VoiceConfig> load_voice_config(const Environment& env);

// A session's voice options (POST /sessions "voice": {"record": true, "timeLimit": 600,
// "ringTimeout": 20}), with the configured defaults for what it does not say.
struct VoiceOptions {
  bool record = false;
  int time_limit_seconds = 14400;
  int ring_timeout_seconds = 30;
};

VoiceOptions voice_options(const std::string& session_json, const VoiceConfig& defaults);

}  // namespace mc::modules::voice
