// The events passed to hooks (core/hooks.h). Plain values, copied freely.
#pragma once

#include <string>

namespace mc {

struct SessionClosedEvent {
  std::string session_id;
  std::string conversation_sid;  // empty when the session never reached Twilio
  std::string reason;            // "api", "conversation-closed", "ttl", "expired", ...
};

}  // namespace mc
