// Twilio's default opt-out and opt-in keywords for messaging: a text that is one of them
// (the whole message, in any case, spaces ignored) changes whether Twilio delivers texts
// from that number to that phone. The sandbox acts on them as Twilio does; the worker
// records them.
#pragma once

#include <string>

namespace mc::twilio {

// STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT.
bool is_opt_out_keyword(const std::string& body);
// START, UNSTOP, YES.
bool is_opt_in_keyword(const std::string& body);

}  // namespace mc::twilio
