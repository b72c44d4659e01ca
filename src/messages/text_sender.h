// Texts masked-comms sends itself (notices, the hotline's relays) go through the outbox
// under one kind, so each is queued in the same commit as what caused it and retried until
// Twilio has it: Programmable Messaging (Messages.json), From one of the pool's numbers.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace mc::sessions {
class Outbox;
}
namespace mc::twilio {
class TwilioClient;
}

namespace mc::messages {

// Outbox kind: {"from", "to", "body"} and, for a text whose delivery is followed,
// "statusCallback".
inline constexpr const char* kSendSms = "send-sms";

// The kind's payload.
std::string send_sms_payload(const std::string& from, const std::string& to,
                             const std::string& body, const std::string& status_callback = "");

// Registers kSendSms; start-up only, by every module that queues texts (registering again
// replaces the handler with the same one). A text Twilio refuses for good (the recipient
// opted out, 21610; not a number that takes texts, 21211 / 21614) is logged and dropped.
void register_send_sms(sessions::Outbox& outbox, twilio::TwilioClient& twilio);

}  // namespace mc::messages
