// The session lifecycle: create a masked conversation for 1 to 50 addresses, each given a
// proxy number; close it (API, Twilio webhook, TTL or expiry); record interactions; repair
// what a crash left half done. The ledger is the authority; Twilio is the transport.
//
// Create, in order: validate; in one transaction select and reserve a proxy number per
// address and write the session as `creating`; create the conversation at Twilio with its
// participants (ConversationWithParticipants: one round trip up to 10 participants, then
// parallel batches), UniqueName = session id, so a retried create never makes a second
// conversation; mark the session `open`. Any failure after the reservation marks the
// session `failed` and deletes what Twilio created through the outbox; the numbers are
// released once Twilio has let go of them (at once when nothing was created there).
//
// The request-path half is session_service.cpp, with participants joining and leaving a
// live session in session_membership.cpp; the background half (expiry, recovery,
// reconciliation with Twilio, the outbox handlers) is session_upkeep.cpp.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/hooks.h"
#include "core/metrics.h"
#include "core/params.h"
#include "pool/geography.h"
#include "pool/selection.h"
#include "sessions/outbox.h"
#include "sessions/sessions_config.h"
#include "store/store.h"
#include "twilio/conversations_api.h"

namespace mc::sessions {

// API codes of the errors the service answers with (README, "Error codes").
namespace api_code {
inline constexpr int kInvalidSession = 20400;  // bad input
inline constexpr int kSessionNotFound = 20404;
inline constexpr int kNoNumberAvailable = pool::kNoNumberAvailable;  // 80206
inline constexpr int kUniqueNameTaken = 80603;
inline constexpr int kSessionNotReady = 80605;  // still being created
inline constexpr int kTwilioFailed = 20503;     // Twilio could not do its part
inline constexpr int kAlreadyParticipant = 80103;
inline constexpr int kSessionClosed = 80607;  // a closed session cannot change
inline constexpr int kTooManyParticipants = 80609;
inline constexpr int kReopenConflict = 80801;  // re-opening would make a pair active twice
}  // namespace api_code

inline constexpr size_t kMaxParticipants = 50;
// Longest client-chosen session id (uniqueName).
inline constexpr size_t kMaxSessionIdLength = 128;
inline constexpr size_t kParticipantsPerCreate = 10;

struct CreateSessionRequest {
  std::vector<std::string> addresses;      // E.164
  std::optional<std::string> unique_name;  // becomes the session id
  Params conversation;                     // further Conversations create parameters
  bool webhooks_enabled = false;           // X-Twilio-Webhook-Enabled on the create
  std::string mode = "voice-and-message";
  std::optional<int64_t> ttl_seconds;
  std::optional<TimePoint> date_expiry;
  std::string voice_options = "{}";
  std::map<std::string, std::string> proxy_addresses;  // address -> requested pool number

  // For the Proxy API's sessions: they may start with no participant, choose among their
  // service's numbers, and need no conversation when voice-only. `also_write` writes the
  // caller's own rows for the session in the reservation's commit (its error undoes the
  // reservation: nothing is left half written).
  size_t min_participants = 1;
  std::optional<pool::SelectionPolicy> policy;  // else the service's policy
  bool with_conversation = true;
  std::function<Status(store::Transaction&, const store::SessionRecord&)> also_write;
};

// One participant joining a live session (the Proxy API's Participants).
struct AddParticipantRequest {
  std::string address;  // E.164
  std::string friendly_name;
  std::optional<std::string> proxy_number;      // a specific number of the service
  std::optional<pool::SelectionPolicy> policy;  // else the service's policy
  // The caller's own rows (and checks: a limit of its own), written in the commit that
  // reserves the number, under the session's lock; undone in the commit that releases it
  // again when Twilio refuses the participant.
  std::function<Status(store::Transaction&, const store::ParticipantRecord&)> also_write;
  std::function<Status(store::Transaction&, const store::ParticipantRecord&)> undo;
};

class SessionService {
 public:
  SessionService(store::Store& store, twilio::ConversationsApi& conversations,
                 const pool::Geography& geography, pool::SelectionPolicy policy, Clock& clock,
                 Hooks& hooks, Outbox& outbox, SessionsConfig config, Metrics* metrics = nullptr);

  Result<store::SessionRecord> create(const CreateSessionRequest& request);
  // The session of id `key`, or of the conversation SID `key` (CH...).
  Result<store::SessionRecord> get(const std::string& key);
  Result<store::SessionPage> list(const std::string& status, size_t page_size,
                                  const std::string& page_token);
  // Closes an open or in-progress session (`key` as for get()) and queues the deletion (or
  // closing) of its conversation at Twilio; its numbers are released once Twilio has done
  // it. Closing a closed session returns it unchanged.
  Result<store::SessionRecord> close(const std::string& key, const std::string& reason);
  // The conversation closed at Twilio: closes its session. nullopt when it is not ours.
  // Reads the participants' SIDs of the session's conversation from Twilio and records
  // them: what the outbox does after a create (ConversationWithParticipants returns none),
  // for a webhook naming a participant before that is done. Waits on Twilio.
  Status learn_participant_sids(const std::string& session_id, const std::string& conversation_sid);
  Result<std::optional<store::SessionRecord>> close_for_conversation(
      const std::string& conversation_sid, const std::string& reason);
  // Adds a participant to a live session of fewer than kMaxParticipants: its number is
  // chosen and reserved in one transaction holding the session's lock (the selection of
  // create(), against the session's other participants), then it joins the session's
  // conversation at Twilio (when the session has one). When Twilio refuses, the
  // reservation is released again and Twilio's error returned.
  Result<store::ParticipantRecord> add_participant(const std::string& session_id,
                                                   const AddParticipantRequest& request);
  // Removes an active participant of a live session (false when it is not one); its pair
  // is released once Twilio has removed it from the conversation (the outbox; at once for
  // a session without a conversation). `also_write` runs in the same commit.
  Result<bool> remove_participant(
      const std::string& session_id, const std::string& address,
      const std::function<Status(store::Transaction&)>& also_write = nullptr);
  // A live session's TTL and expiry (Transaction::set_expiry); FAILED_PRECONDITION
  // (kSessionClosed) when it is closed.
  Result<store::SessionRecord> set_expiry(const std::string& session_id,
                                          std::optional<int64_t> ttl_seconds,
                                          std::optional<TimePoint> date_expiry);
  // Re-opens a closed session (the Proxy API's closed -> in-progress): each of `addresses`
  // (participants of it) holds its last (address, proxy) pair again, the TTL counts from
  // now, and unless it is voice-only a new conversation with them is created at Twilio
  // under the session's id, as on create. A live session is returned as it is. Refused
  // with FAILED_PRECONDITION and kReopenConflict when a pair is now active in another
  // session; UNAVAILABLE while its close is still being carried out at Twilio (the pairs
  // are held until then). When Twilio refuses the new conversation the session ends
  // failed, its pairs released.
  Result<store::SessionRecord> reopen(const std::string& session_id,
                                      const std::vector<std::string>& addresses);
  // A message or call happened: the session moves to in-progress and its TTL restarts.
  Status record_interaction(const std::string& session_id, TimePoint at);

  // Background work (the Housekeeper calls these; safe with several workers).
  // Closes sessions whose TTL or expiry has passed; returns how many.
  size_t expire_due();
  // Checks up to `limit` live sessions, least recently checked first, against Twilio (one
  // conversation fetch each) and closes those whose conversation was deleted or closed
  // there without a webhook reaching us; returns how many it closed.
  size_t reconcile_with_twilio(size_t limit);
  // Finishes or rolls back sessions left `creating` longer than the creating timeout.
  size_t recover_stuck();

  // Registers the outbox handlers this service needs.
  void register_outbox_handlers();
  // Whether a closed session's conversation is deleted (else closed) at Twilio.
  bool deletes_closed_conversations() const { return config_.delete_closed_conversations; }

 private:
  Status validate(const CreateSessionRequest& request, std::vector<pool::PhoneInfo>* phones);
  // `address` as a participant: a phone number (E.164 once parsed) that is not a pool
  // number; INVALID_ARGUMENT naming `field` otherwise.
  Result<pool::PhoneInfo> participant_phone(const std::string& address, const std::string& field);
  Status reserve(const std::string& id, const CreateSessionRequest& request,
                 const std::vector<pool::PhoneInfo>& phones, store::SessionRecord* session);
  // Creates the conversation and every participant at Twilio; fills `conversation` and the
  // participants' SIDs.
  Status create_at_twilio(const CreateSessionRequest& request, const store::SessionRecord& session,
                          Json::Value* conversation,
                          std::vector<std::pair<std::string, std::string>>* participant_sids);
  // Once its conversation exists at Twilio, moves a `creating` session to open with the
  // conversation recorded (and `also_write` in the same commit), and queues the fetch of
  // its participants' SIDs. UNAVAILABLE when the ledger could not record it (the recovery
  // sweep finishes it) or the sweep rolled it back meanwhile (the conversation is then
  // queued for deletion).
  Status open_with_conversation(
      const std::string& id, const Json::Value& conversation,
      const std::vector<std::pair<std::string, std::string>>& participant_sids,
      const std::function<Status(store::Transaction&)>& also_write = nullptr);
  // Marks a `creating` session failed, releases its numbers and (when `delete_at_twilio`)
  // queues the deletion of a conversation that may exist. False when someone else moved it.
  Result<bool> roll_back(const std::string& id, const std::string& reason, bool delete_at_twilio);
  Params conversation_params(const CreateSessionRequest& request, const std::string& id) const;
  // Outbox handlers: delete (`remove`) or close a session's conversation at Twilio, then
  // release its pairs; record participant SIDs Twilio did not return on create.
  Status finish_at_twilio(const Json::Value& payload, bool remove);
  Status record_participant_sids(const Json::Value& payload);
  Status remove_from_conversation(const Json::Value& payload);
  void count(const std::string& name, const std::string& labels);

  store::Store& store_;
  twilio::ConversationsApi& conversations_;
  const pool::Geography& geography_;
  const pool::SelectionPolicy policy_;
  Clock& clock_;
  Hooks& hooks_;
  Outbox& outbox_;
  const SessionsConfig config_;
  Metrics* metrics_;
};

// A new session id: "KC" + 32 hex digits from OpenSSL's RAND_bytes (the shape of a Twilio
// Proxy session SID; unguessable, since ids name sessions in URLs).
std::string new_session_id();
// `prefix` + 32 hex digits the same way: ids of other resources named in URLs (hotlines).
std::string new_sid(std::string_view prefix);

}  // namespace mc::sessions
