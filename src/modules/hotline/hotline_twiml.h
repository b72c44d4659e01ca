// Internal to the hotline module: the TwiML a hotline call plays. The caller waits in the
// call's own conference room while the team is rung; the member who takes it is joined to
// that room; everyone else is told and hung up.
#pragma once

#include <string>

#include "modules/hotline/hotline_settings.h"

namespace mc::modules::hotline {

// The room of one call: unique per caller's CallSid.
std::string room_of(const std::string& call_sid);

// The caller: the greeting, then the room (`wait_url` plays while they wait alone; Twilio's
// hold music when empty). The room ends when either side leaves.
std::string caller_waits(const HotlineSettings& settings, const std::string& room,
                         const std::string& wait_url);
// The caller nobody took: the no-answer message, then with voicemail a <Record> whose
// recording is posted to `voicemail_action`.
std::string no_answer(const HotlineSettings& settings, const std::string& voicemail_action);
// After the recording.
std::string voicemail_kept();

// A member's answered leg under press-1: press 1 (posted to `gather_action`) or the leg
// hangs up after the prompt.
std::string press_one(const std::string& hotline_name, const std::string& gather_action);
// The member who took the call joins the caller.
std::string join(const std::string& room);
// A member who answered a moment too late.
std::string taken_by_someone_else();
// A member who answered a call that has ended (the caller hung up, or nobody took it).
std::string call_over();
// A machine (voicemail) answered a member's leg.
std::string hang_up();

}  // namespace mc::modules::hotline
