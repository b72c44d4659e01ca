// Twilio Conversations, as the sandbox plays it: conversations, participants with SMS
// bindings, messages relayed between participants through their proxy addresses, timers,
// and the webhook events each change produces. Every function expects the caller to hold
// the sandbox's state lock and returns the webhooks to send after releasing it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/params.h"
#include "core/status.h"
#include "model.h"
#include "sandbox_clock.h"
#include "sid.h"
#include "webhooks.h"

namespace mc::sandbox {

// Twilio error codes the engine answers with.
namespace code {
inline constexpr int kNotFound = 20404;
inline constexpr int kInvalidParameter = 20001;
inline constexpr int kUniqueNameTaken = 50353;
inline constexpr int kUniqueNameLooksLikeSid = 50390;
inline constexpr int kClosed = 50377;
inline constexpr int kInvalidTimer = 50380;
inline constexpr int kTimerWithoutState = 50382;
inline constexpr int kInvalidAddress = 50407;
inline constexpr int kInvalidProxyAddress = 50408;
inline constexpr int kAddressIsProxy = 50409;
inline constexpr int kPairInUse = 50416;
inline constexpr int kPairInUseMulti = 50425;
inline constexpr int kIdentityExists = 50433;
inline constexpr int kTooManyParticipants = 50436;
inline constexpr int kParticipantExists = 50437;
inline constexpr int kParticipantNotFound = 50432;
inline constexpr int kConversationNotFound = 50350;
inline constexpr int kInvalidFilter = 50365;
}  // namespace code

inline constexpr size_t kMaxNonChatParticipants = 50;
inline constexpr size_t kMaxParticipantsPerCreate = 10;

using Webhooks = std::vector<WebhookRequest>;

// A participant to add: an SMS binding or a chat identity.
struct ParticipantSpec {
  std::optional<std::string> identity;
  std::string address;
  std::string proxy_address;
  std::string projected_address;
  std::string attributes = "{}";
  std::optional<std::string> role_sid;
};

class ConversationsEngine {
 public:
  ConversationsEngine(State& state, SidGenerator& sids, SandboxClock& clock)
      : state_(state), sids_(sids), clock_(clock) {}

  // POST /v1/Conversations. `webhooks_enabled`: the request carried
  // X-Twilio-Webhook-Enabled: true (REST actions fire webhooks only then).
  Result<Conversation*> create(const Params& params, bool webhooks_enabled, Webhooks& out);
  // POST /v1/ConversationWithParticipants: all or nothing.
  Result<Conversation*> create_with_participants(const Params& params, bool webhooks_enabled,
                                                 Webhooks& out);
  // POST /v1/Conversations/{Sid}
  Status update(Conversation& conversation, const Params& params, bool webhooks_enabled,
                Webhooks& out);
  // DELETE /v1/Conversations/{Sid}
  Status remove(const std::string& sid_or_unique_name, bool webhooks_enabled, Webhooks& out);

  // Reads a participant from the Participants create parameters.
  static Result<ParticipantSpec> participant_from_params(const Params& params);
  // Reads a participant from one ConversationWithParticipants `Participant` JSON value.
  static Result<ParticipantSpec> participant_from_json(const std::string& json_text);

  Result<Participant*> add_participant(Conversation& conversation, const ParticipantSpec& spec,
                                       bool webhooks_enabled, Webhooks& out);
  Status remove_participant(Conversation& conversation, const std::string& participant_sid,
                            bool webhooks_enabled, Webhooks& out);
  Participant* find_participant(Conversation& conversation, const std::string& sid_or_identity);

  // Every (conversation, participant) whose binding address is `address`, any state, in
  // conversation creation order.
  std::vector<std::pair<const Conversation*, const Participant*>> participant_conversations(
      const std::string& address) const;

  // The non-closed conversation holding the (address, proxy address) pair, or nullptr.
  Conversation* conversation_for_pair(const std::string& address, const std::string& proxy);

  // The pre-event webhooks for a message about to be added (onMessageAdd).
  Webhooks message_add_webhooks(const Conversation& conversation, const std::string& author,
                                const std::string& body, const std::string& source) const;
  // Adds a message (from an SMS participant, or through REST), reactivates an inactive
  // conversation, restarts its timers, relays it by SMS to every other participant from
  // their own proxy address, and queues the post-event webhooks.
  Result<const Message*> add_message(Conversation& conversation, const std::string& author,
                                     const std::string& body, const std::string& attributes,
                                     const std::string& source, bool webhooks_enabled,
                                     Webhooks& out);

  // Puts back a conversation read from a state file, with its indexes and timers.
  void restore(Conversation conversation);

  // Applies every timer due at `now` (inactive, then closed) and queues their webhooks.
  void fire_due_timers(TimePoint now, Webhooks& out);
  // The earliest pending timer, if any.
  std::optional<TimePoint> next_timer() const;

 private:
  Status apply_conversation_params(Conversation& conversation, const Params& params, bool creating);
  // A conversation built from creation parameters, not yet stored (it has a fresh SID).
  Result<Conversation> new_conversation(const Params& params);
  Status check_participant(const Conversation& conversation, const ParticipantSpec& spec,
                           int conflict_code) const;
  Participant make_participant(const ParticipantSpec& spec) const;
  void index_participant(const Conversation& conversation, const Participant& participant);
  void unindex_pairs(const Conversation& conversation);
  void change_state(Conversation& conversation, const std::string& to, const std::string& reason,
                    bool webhooks_enabled, Webhooks& out);
  void restart_timers(Conversation& conversation);
  // Gives the conversation its sequence and indexes it by SID and unique name.
  Conversation& store(Conversation conversation);
  // store(), then starts its timers: a conversation created now.
  Conversation& insert(Conversation conversation);
  // Webhook requests for `event` to every configuration that subscribes to it.
  void emit(const Conversation& conversation, const std::string& event, Params params,
            Webhooks& out) const;
  Params conversation_params(const Conversation& conversation) const;
  Params participant_params(const Participant& participant) const;

  State& state_;
  SidGenerator& sids_;
  SandboxClock& clock_;
};

// An SMS address: E.164 ("+14155550100"), optionally with a channel prefix ("whatsapp:+1...").
bool is_valid_address(const std::string& address);

}  // namespace mc::sandbox
