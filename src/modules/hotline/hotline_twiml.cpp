#include "modules/hotline/hotline_twiml.h"

#include "twilio/twiml.h"

namespace mc::modules::hotline {

using twilio::Twiml;

std::string room_of(const std::string& call_sid) { return "hotline-" + call_sid; }

std::string caller_waits(const HotlineSettings& settings, const std::string& room,
                         const std::string& wait_url) {
  Twiml twiml;
  if (!settings.greeting.empty()) twiml.say(settings.greeting);
  twiml.dial_conference({}, room,
                        {{"beep", "false"},
                         {"startConferenceOnEnter", "true"},
                         {"endConferenceOnExit", "true"},
                         {"waitUrl", wait_url}});
  return twiml.document();
}

std::string no_answer(const HotlineSettings& settings, const std::string& voicemail_action) {
  Twiml twiml;
  twiml.say(settings.no_answer_message);
  if (settings.voicemail) {
    twiml.record({{"maxLength", std::to_string(settings.voicemail_max_length)},
                  {"playBeep", "true"},
                  {"action", voicemail_action}});
  }
  twiml.hangup();
  return twiml.document();
}

std::string voicemail_kept() {
  return Twiml().say("Thank you. Your message has been passed on. Goodbye.").hangup().document();
}

std::string press_one(const std::string& hotline_name, const std::string& gather_action) {
  const std::string who = hotline_name.empty() ? "the hotline" : hotline_name;
  return Twiml()
      .gather({{"numDigits", "1"}, {"timeout", "8"}, {"action", gather_action}},
              "A call for " + who + ". Press 1 to take it.")
      .hangup()
      .document();
}

std::string join(const std::string& room) {
  return Twiml()
      .dial_conference(
          {}, room,
          {{"beep", "false"}, {"startConferenceOnEnter", "true"}, {"endConferenceOnExit", "true"}})
      .document();
}

std::string taken_by_someone_else() {
  return Twiml().say("Someone else took this call.").hangup().document();
}

std::string call_over() { return Twiml().say("This call has ended.").hangup().document(); }

std::string hang_up() { return Twiml().hangup().document(); }

}  // namespace mc::modules::hotline
