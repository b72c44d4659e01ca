// The events passed to hooks (core/hooks.h). Plain values, copied freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mc {

struct SessionClosedEvent {
  std::string session_id;
  std::string conversation_sid;  // empty when the session never reached Twilio
  std::string reason;            // "api", "conversation-closed", "ttl", "expired", ...
};

// A call status Twilio reported at /call-status (the numbers' StatusCallback).
struct CallStatusEvent {
  std::string call_sid;
  std::string status;     // Twilio's CallStatus
  std::string direction;  // "inbound" for a call placed to a pool number
  std::string from;
  std::string to;
  std::optional<int64_t> duration_seconds;
  std::string parent_call_sid;  // a leg rung for a caller: the caller's CallSid
};

// A text or call of a session about to be delivered (the intercept hook).
struct InteractionEvent {
  std::string session_id;
  std::string type;          // "message" or "voice"
  std::string from;          // the participant who wrote or called
  std::string to;            // the proxy number they reached
  std::string resource_sid;  // the CallSid; "" for a message (it does not exist yet)
  std::string body;          // a message's text
};

// A message of a session was logged (status "sent": it was delivered to the other
// participants) or one recipient's delivery changed ("delivered", "undelivered", ...).
struct MessageStatusEvent {
  std::string session_id;
  std::string message_sid;
  std::string author;     // the participant's address
  std::string recipient;  // for a delivery receipt; "" for "sent"
  std::string status;
  std::string body;  // for "sent"; "" for a delivery receipt
};

}  // namespace mc
