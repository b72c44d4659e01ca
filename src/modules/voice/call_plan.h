// Internal to the voice module: the TwiML of each answer to a call, as pure functions.
#pragma once

#include <string>

#include "calls/call_log.h"
#include "modules/voice/voice_config.h"

namespace mc::modules::voice {

// Callback URLs the TwiML points Twilio at.
struct CallbackUrls {
  std::string call_status;  // https://DOMAIN/call-status
};

// Said to a caller with no active session for the number they dialled (or bad input); then
// the call ends.
std::string out_of_session_twiml(const VoiceConfig& config);

// One other party: optional announcement, then <Dial callerId="callee's proxy number"
// answerOnBridge="true"> to the callee's real number, with the session's ring timeout, time
// limit and (when recording) dual-channel recording.
std::string dial_twiml(const VoiceConfig& config, const VoiceOptions& options,
                       const std::string& callee, const std::string& callee_proxy,
                       const CallbackUrls& urls);

// Two or more others: the caller joins a conference of their own, which ends when they leave.
std::string conference_caller_twiml(const VoiceConfig& config, const VoiceOptions& options,
                                    const std::string& room, const CallbackUrls& urls);

// What each rung participant runs once they answer: the same conference.
std::string conference_leg_twiml(const std::string& room);

// The caller's conference room: unique per call (calls/call_log.h names it).
using calls::room_name;

// A call a module's intercept blocked (the Proxy API's intercept callback answered 403):
// refused unanswered, as Twilio Proxy does.
std::string intercepted_twiml();

// Said when nobody could be called at all.
inline constexpr const char* kCouldNotConnect =
    "We could not connect your call. Please try again later.";
std::string could_not_connect_twiml(const VoiceConfig& config);

}  // namespace mc::modules::voice
