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
};

}  // namespace mc
