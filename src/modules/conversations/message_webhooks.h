// Internal to the conversations module: what happens to a text.
//
//   pre_event   Conversations' onMessageAdd, before Twilio delivers a message: opt-out and
//               opt-in keywords are recorded (never relayed); the content rules may block
//               the message (the sender is told once, by a text from their proxy number) or
//               redact it; anything not ours is let through.
//   added       onMessageAdded: an interaction of its session (in-progress, the TTL counts
//               from it), and the delivered message joins the session's log.
//   delivery    onDeliveryUpdated: a recipient's receipt (delivered, undelivered with
//               Twilio's error code, ...) joins that message.
//   inbound_sms a text to a pool number outside any session (the number's SmsUrl): the
//               optional auto-reply, never relayed.
//
// Texts masked-comms sends itself (notices) go through the outbox (kind send-sms), from the
// recipient's own proxy number, never to a pair that opted out, and join the session's log
// (author "system", status "notice").
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/hooks.h"
#include "core/request.h"
#include "core/response.h"
#include "messages/message_log.h"
#include "messages/message_rules.h"
#include "sessions/outbox.h"
#include "sessions/session_service.h"
#include "store/store.h"
#include "twilio/client.h"

namespace mc::modules::conversations {

// {"conversation", "message"}: MC_MESSAGE_DELETE_AT_TWILIO.
inline constexpr const char* kDeleteMessage = "delete-message";

class MessageWebhooks {
 public:
  MessageWebhooks(store::Store& store, sessions::SessionService& sessions,
                  messages::MessageLog& log, std::unique_ptr<messages::MessageRules> rules,
                  messages::MessagesConfig config, sessions::Outbox& outbox,
                  twilio::TwilioClient& twilio, Clock& clock, const Hooks& hooks);

  // Registers the send-sms and delete-message outbox kinds.
  void register_outbox_handlers();

  Response pre_event(const Request& request);
  Response added(const Request& request);
  // onDeliveryUpdated: one recipient's delivery receipt joins the logged message.
  Response delivery(const Request& request);
  Response inbound_sms(const Request& request);

 private:
  // Queues texts (from, to, body) to the session's participants, leaving out those who
  // opted out of the number; each joins the session's log (author "system", status
  // "notice").
  Status notify(const store::SessionRecord& session,
                const std::vector<std::array<std::string, 3>>& texts);
  // notify() inside `tx`, given who opted out.
  Status queue_notices(store::Transaction& tx, const store::SessionRecord& session,
                       const std::vector<std::string>& opted_out,
                       const std::vector<std::array<std::string, 3>>& texts);
  Response opt_change(const store::SessionRecord& session, const messages::ConversationMessage& m,
                      bool opted_out);

  store::Store& store_;
  sessions::SessionService& sessions_;
  messages::MessageLog& log_;
  const std::unique_ptr<messages::MessageRules> rules_;
  const messages::MessagesConfig config_;
  sessions::Outbox& outbox_;
  twilio::TwilioClient& twilio_;
  Clock& clock_;
  const Hooks& hooks_;  // unmatched_text: a module owning the number answers first
};

}  // namespace mc::modules::conversations
