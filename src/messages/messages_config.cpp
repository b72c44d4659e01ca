#include "messages/messages_config.h"

#include "core/response.h"

namespace mc::messages {

Result<MessagesConfig> load_messages_config(const Environment& env) {
  EnvReader reader(env);
  MessagesConfig config;
  const int64_t days = reader.integer("MC_MESSAGE_RETENTION_DAYS", 0, 0, 36500);
  if (days > 0) config.retention = std::chrono::hours(24 * days);
  config.max_length = static_cast<size_t>(reader.integer("MC_MESSAGE_MAX_LENGTH", 0, 0, 1600 * 10));
  for (const std::string& item : reader.list("MC_MESSAGE_REDACT", {})) {
    if (item == "phone") {
      config.redact_phone = true;
    } else if (item == "email") {
      config.redact_email = true;
    } else {
      reader.fail("MC_MESSAGE_REDACT", "'" + item + "' is not phone or email");
    }
  }
  config.blocked_notice = reader.string("MC_MESSAGE_BLOCKED_NOTICE", config.blocked_notice);
  config.out_of_session_reply = reader.string("OUT_OF_SESSION_MESSAGE_FOR_SMS", "");
  config.delete_at_twilio = reader.boolean("MC_MESSAGE_DELETE_AT_TWILIO", false);
  config.delete_after =
      reader.millis("MC_MESSAGE_DELETE_AFTER_MS", config.delete_after, std::chrono::milliseconds(0),
                    std::chrono::milliseconds(7 * 24 * 3600 * 1000LL));
  if (auto patterns = reader.optional_string("MC_MESSAGE_BLOCK_PATTERNS")) {
    Json::Value parsed;
    std::string error;
    if (!parse_json_text(*patterns, &parsed, &error) || !parsed.isArray()) {
      reader.fail("MC_MESSAGE_BLOCK_PATTERNS", "must be a JSON array of regular expressions");
    } else {
      for (const Json::Value& item : parsed) {
        if (!item.isString()) {
          reader.fail("MC_MESSAGE_BLOCK_PATTERNS", "every item must be a string");
          break;
        }
        config.block_patterns.push_back(item.asString());  // compiled by MessageRules
      }
    }
  }
  if (Status status = reader.status(); !status) return status;
  return config;
}

}  // namespace mc::messages
