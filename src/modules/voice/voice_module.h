// The voice module: masked calls through proxy numbers.
//
//   POST /inbound-call   the voice webhook of every pool number (VoiceUrl). Signed by
//                        Twilio (403 otherwise). The caller (From) and the dialled number
//                        (Called/To) are looked up in the ledger, with no Twilio round trip:
//                        - no active voice session for the pair, or bad input (no From, an
//                          anonymous or SIP caller, a number not in the pool): the
//                          out-of-session message, then hang up;
//                        - one other participant: <Dial callerId="their proxy number"
//                          answerOnBridge="true"> to their real number;
//                        - two or more: the caller joins a conference of their own and every
//                          other participant is called from their own proxy number into it.
//                        Always well-formed TwiML (text/xml), never a 500.
//   POST /call-status    status callbacks of every call leg (and recording callbacks):
//                        recorded in the ledger; when the caller's call ends, the legs
//                        still ringing are cancelled (through the outbox).
//   GET /sessions/{id}/calls   (API) the session's calls, legs, statuses and recordings.
//
// At Twilio, set each pool number's VoiceUrl to https://DOMAIN/inbound-call and its
// StatusCallback to https://DOMAIN/call-status. Configuration: see voice_config.h and the
// README (OUT_OF_SESSION_MESSAGE_FOR_CALL, CONNECTING_CALL_ANNOUCEMENT,
// CALL_ANNOUCEMENT_VOICE, CALL_ANNOUCEMENT_LANGUAGE, MC_VOICE_*).
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_voice_module();

}  // namespace mc::modules
