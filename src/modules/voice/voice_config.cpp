#include "modules/voice/voice_config.h"

#include "core/json_values.h"
#include "core/response.h"

namespace mc::modules::voice {

Result<VoiceConfig> load_voice_config(const Environment& env) {
  EnvReader reader(env);
  VoiceConfig config;
  config.out_of_session_message =
      reader.string("OUT_OF_SESSION_MESSAGE_FOR_CALL", config.out_of_session_message);
  config.connecting_announcement = reader.string("CONNECTING_CALL_ANNOUCEMENT", "");
  config.voice = reader.string("CALL_ANNOUCEMENT_VOICE", "");
  config.language = reader.string("CALL_ANNOUCEMENT_LANGUAGE", "");
  config.record = reader.boolean("MC_VOICE_RECORD", false);
  config.time_limit_seconds =
      static_cast<int>(reader.integer("MC_VOICE_TIME_LIMIT", config.time_limit_seconds, 1, 14400));
  config.ring_timeout_seconds = static_cast<int>(
      reader.integer("MC_VOICE_RING_TIMEOUT", config.ring_timeout_seconds, 5, 600));
  config.outbound_concurrency =
      static_cast<int>(reader.integer("MC_VOICE_OUTBOUND_CONCURRENCY", 8, 1, 64));
  config.call_log_queue = reader.integer("MC_CALL_LOG_QUEUE", config.call_log_queue, 100, 10000000);
  config.call_log_window_ms =
      reader.integer("MC_CALL_LOG_WINDOW_MS", config.call_log_window_ms, 0, 600000);
  config.call_journal = reader.boolean("MC_CALL_JOURNAL", config.call_journal);
  if (Status status = reader.status(); !status) return status;
  return config;
}

VoiceOptions voice_options(const std::string& session_json, const VoiceConfig& defaults) {
  VoiceOptions options{defaults.record, defaults.time_limit_seconds, defaults.ring_timeout_seconds};
  // Most sessions set none: no parse on every call for them.
  if (session_json.empty() || session_json == "{}") return options;
  Json::Value value;
  std::string error;
  if (session_json.empty() || !parse_json_text(session_json, &value, &error) || !value.isObject()) {
    return options;
  }
  if (value["record"].isBool()) options.record = value["record"].asBool();
  if (is_integer_in(value["timeLimit"], 0, INT32_MAX)) {
    options.time_limit_seconds = value["timeLimit"].asInt();
  }
  if (is_integer_in(value["ringTimeout"], 0, INT32_MAX)) {
    options.ring_timeout_seconds = value["ringTimeout"].asInt();
  }
  return options;
}

}  // namespace mc::modules::voice
