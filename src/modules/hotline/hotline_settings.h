// Internal to the hotline module: what a hotline is set to, read from the API's JSON
// (POST /hotlines, POST /hotlines/{id}) with every field checked before anything is
// written, kept in the ledger as JSON text, and shown back in the API's shape.
#pragma once

#include <json/value.h>

#include <string>
#include <vector>

#include "core/status.h"
#include "hotline/hotline_records.h"
#include "pool/geography.h"

namespace mc::modules::hotline {

namespace answer_check {
inline constexpr const char* kPress1 = "press-1";                      // a <Gather> on the leg
inline constexpr const char* kMachineDetection = "machine-detection";  // Twilio's AMD
inline constexpr const char* kNone = "none";                           // any answer takes it
}  // namespace answer_check

struct HotlineSettings {
  std::string greeting;  // said to the caller first; empty for none
  int ring_timeout_seconds = 25;
  std::string answer_check = answer_check::kPress1;
  // The no-answer path: this message, then (with voicemail) a recording of up to
  // voicemail_max_length seconds.
  std::string no_answer_message = "Nobody could take your call right now. Please try again later.";
  bool voicemail = false;
  int voicemail_max_length = 120;
  bool texts = true;  // texts to the number reach the team
};

// Limits the API enforces.
inline constexpr int kMinRingTimeout = 5;
inline constexpr int kMaxRingTimeout = 120;
inline constexpr int kMaxVoicemailLength = 600;
inline constexpr size_t kMaxMembers = 50;
inline constexpr size_t kMaxText = 1000;  // greeting, message, names

// The fields of `body` that set a hotline (greeting, ringTimeout, answerCheck, noAnswer,
// texts) applied over `base`; INVALID_ARGUMENT naming the field otherwise.
Result<HotlineSettings> apply_settings(const Json::Value& body, HotlineSettings base);
// A member from the API ({"address", "name", "paused"}), its address in canonical E.164.
Result<mc::hotline::Member> parse_member(const Json::Value& value, const pool::Geography& geography,
                                         TimePoint now);

// The settings in the API's shape; settings_json is its stored text.
Json::Value settings_value(const HotlineSettings& settings);
std::string settings_json(const HotlineSettings& settings);
// Stored text back to settings (defaults for what is missing).
HotlineSettings settings_of(const std::string& json);

// The API's view of a hotline: {"id", "number", "name", settings..., "members": [...]}.
Json::Value hotline_json(const mc::hotline::HotlineRecord& hotline);

}  // namespace mc::modules::hotline
