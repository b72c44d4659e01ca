// The hotline module: one published pool number rings a whole team, and the first member
// who really answers gets the caller; texts to it work the same way, by thread. Needs the
// voice module (its /inbound-call and /call-status hand hotline calls over through the
// unmatched_call and call_status hooks) and, for texts, the conversations module
// (/inbound-sms, unmatched_text).
//
// Routes: the API (hotline_api.h) and Twilio's webhooks for the members' legs:
//   POST /hotline/leg, /hotline/leg-gather, /hotline/leg-status, /hotline/voicemail
// (each with ?call=<the caller's CallSid>), and /hotline/text-status?message=N (the
// delivery of a reply sent on to a texter); signed by Twilio like every webhook.
// Configuration: hotline_config.h.
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_hotline_module();

}  // namespace mc::modules
