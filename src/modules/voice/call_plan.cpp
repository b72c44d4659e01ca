#include "modules/voice/call_plan.h"

#include "twilio/twiml.h"

namespace mc::modules::voice {
namespace {

twilio::XmlAttributes say_attributes(const VoiceConfig& config) {
  return {{"voice", config.voice}, {"language", config.language}};
}

void announce(twilio::Twiml& twiml, const VoiceConfig& config) {
  if (!config.connecting_announcement.empty()) {
    twiml.say(config.connecting_announcement, say_attributes(config));
  }
}

}  // namespace

std::string out_of_session_twiml(const VoiceConfig& config) {
  return twilio::Twiml()
      .say(config.out_of_session_message, say_attributes(config))
      .hangup()
      .document();
}

std::string intercepted_twiml() { return twilio::Twiml().reject().document(); }

std::string could_not_connect_twiml(const VoiceConfig& config) {
  return twilio::Twiml().say(kCouldNotConnect, say_attributes(config)).hangup().document();
}

std::string dial_twiml(const VoiceConfig& config, const VoiceOptions& options,
                       const std::string& callee, const std::string& callee_proxy,
                       const CallbackUrls& urls) {
  twilio::Twiml twiml;
  announce(twiml, config);
  twiml.dial_number({{"callerId", callee_proxy},
                     {"answerOnBridge", "true"},
                     {"timeout", std::to_string(options.ring_timeout_seconds)},
                     {"timeLimit", std::to_string(options.time_limit_seconds)},
                     {"record", options.record ? "record-from-answer-dual" : ""},
                     {"recordingStatusCallback", options.record ? urls.call_status : ""}},
                    callee,
                    {{"statusCallback", urls.call_status},
                     {"statusCallbackEvent", "initiated ringing answered completed"}});
  return twiml.document();
}

std::string conference_caller_twiml(const VoiceConfig& config, const VoiceOptions& options,
                                    const std::string& room, const CallbackUrls& urls) {
  twilio::Twiml twiml;
  announce(twiml, config);
  twiml.dial_conference({{"timeLimit", std::to_string(options.time_limit_seconds)}}, room,
                        {{"startConferenceOnEnter", "true"},
                         {"endConferenceOnExit", "true"},
                         {"beep", "false"},
                         {"record", options.record ? "record-from-start" : ""},
                         {"recordingStatusCallback", options.record ? urls.call_status : ""}});
  return twiml.document();
}

std::string conference_leg_twiml(const std::string& room) {
  return twilio::Twiml()
      .dial_conference({}, room, {{"startConferenceOnEnter", "true"}, {"beep", "false"}})
      .document();
}

}  // namespace mc::modules::voice
