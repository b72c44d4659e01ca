// The message log: every message of a session, kept after it closes (store::MessageRecord).
// Written from the Conversations post-event webhook (onMessageAdded: what was delivered)
// and from the pre-event webhook (what the content rules blocked, and opt-out keywords,
// which are never relayed). Bodies are erased after MC_MESSAGE_RETENTION_DAYS by the
// background sweep; the rest of each message stays. Logs never show bodies.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "messages/messages_config.h"
#include "store/store.h"

namespace mc::messages {

// A message as the Conversations webhooks describe it.
struct ConversationMessage {
  std::string conversation_sid;
  std::string message_sid;  // "" at the pre-event webhook: the message does not exist yet
  std::string author;       // the participant's address
  std::string body;
  std::string media_json;  // Twilio's Media parameter (a JSON array), "" for none
  TimePoint at;
};

class MessageLog {
 public:
  MessageLog(store::Store& store, Clock& clock, const MessagesConfig& config)
      : store_(store), clock_(clock), retention_(config.retention) {}

  // The session a conversation belongs to; NOT_FOUND when none.
  Result<store::SessionRecord> session_of(const std::string& conversation_sid);

  // Records `message` in its session as `status` ("sent", "blocked", "opt-out", "opt-in")
  // with `note`: the author's proxy number and the other active participants (the
  // recipients) come from the session. A MessageSid already logged is left as it is.
  Status record(const store::SessionRecord& session, const ConversationMessage& message,
                const std::string& status, const std::string& note = "");
  // The row record() writes, for a caller that writes it in a transaction of its own.
  static store::MessageRecord record_of(const store::SessionRecord& session,
                                        const ConversationMessage& message,
                                        const std::string& status, const std::string& note = "");

  // A session's messages, oldest first; NOT_FOUND for an unknown session.
  Result<store::MessagePage> list(const std::string& session_id, size_t page_size,
                                  const std::string& page_token);

  // Erases the bodies past the retention (a batch at a time); how many. The housekeeper's.
  size_t erase_expired();

 private:
  store::Store& store_;
  Clock& clock_;
  const std::optional<std::chrono::hours> retention_;
};

}  // namespace mc::messages
