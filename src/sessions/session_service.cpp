#include "sessions/session_service.h"

#include <openssl/rand.h>

#include <future>
#include <mutex>
#include <set>

#include "core/log.h"
#include "core/phone_mask.h"
#include "core/response.h"
#include "sessions/conversation_ownership.h"
#include "sessions/session_steps.h"

namespace mc::sessions {
namespace {

const std::vector<std::string> kLiveStatuses = {store::status::kOpen,
                                                store::status::kInProgress};  // for SQL

std::string joined_masked(const std::vector<std::string>& addresses) {
  std::string out;
  for (const std::string& address : addresses) {
    if (!out.empty()) out += ",";
    out += mask_phone_number(address);
  }
  return out;
}

// Session ids a client may choose: they appear in URL paths, so no '/', no dot segments, no
// spaces or controls (nginx normalises paths, and such a session could never be read again).
bool is_valid_session_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxSessionIdLength) return false;
  const auto alphanumeric = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alphanumeric(id[0])) return false;
  for (char c : id) {
    if (!alphanumeric(c) && c != '-' && c != '_' && c != '.' && c != ':' && c != '@') return false;
  }
  return true;
}

}  // namespace

std::string new_session_id() { return new_sid("KC"); }

std::string new_sid(std::string_view prefix) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // OpenSSL's generator failing is an impossible state on a working system.
    throw std::runtime_error("RAND_bytes failed: no secure random session id");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  for (unsigned char byte : bytes) {
    id += kHex[byte >> 4];
    id += kHex[byte & 0xF];
  }
  return id;
}

SessionService::SessionService(store::Store& store, twilio::ConversationsApi& conversations,
                               const pool::Geography& geography, pool::SelectionPolicy policy,
                               Clock& clock, Hooks& hooks, Outbox& outbox, SessionsConfig config,
                               Metrics* metrics)
    : store_(store),
      conversations_(conversations),
      geography_(geography),
      policy_(policy),
      clock_(clock),
      hooks_(hooks),
      outbox_(outbox),
      config_(std::move(config)),
      metrics_(metrics) {}

void SessionService::count(const std::string& name, const std::string& labels) {
  if (metrics_) metrics_->add_counter(name, labels);
}

Status SessionService::validate(const CreateSessionRequest& request,
                                std::vector<pool::PhoneInfo>* phones) {
  if (request.addresses.size() < request.min_participants ||
      request.addresses.size() > kMaxParticipants) {
    return Status::invalid_argument(
        "addresses must hold " + std::to_string(request.min_participants) +
            " to 50 phone numbers, got " + std::to_string(request.addresses.size()),
        api_code::kInvalidSession);
  }
  std::set<std::string> seen;
  for (const std::string& address : request.addresses) {
    auto info = participant_phone(address, "addresses");
    if (!info) return info.status();
    if (!seen.insert(info->e164).second) {
      return Status::invalid_argument("addresses: " + info->e164 + " is listed twice",
                                      api_code::kInvalidSession);
    }
    phones->push_back(*info);
  }
  for (const auto& requested : request.proxy_addresses) {
    if (!seen.count(requested.first)) {
      return Status::invalid_argument("proxyAddresses: " + requested.first + " is not in addresses",
                                      api_code::kInvalidSession);
    }
  }
  if (request.unique_name) {
    const std::string& name = *request.unique_name;
    if (!is_valid_session_id(name)) {
      return Status::invalid_argument(
          "uniqueName must be 1 to " + std::to_string(kMaxSessionIdLength) +
              " letters, digits and - _ . : @, starting with a letter or digit",
          api_code::kInvalidSession);
    }
    if (name.size() == 34 && name.rfind("CH", 0) == 0) {
      return Status::invalid_argument("uniqueName must not look like a Conversation SID",
                                      api_code::kInvalidSession);
    }
  }
  return Status::ok();
}

Result<pool::PhoneInfo> SessionService::participant_phone(const std::string& address,
                                                          const std::string& field) {
  auto info = geography_.describe(address);
  if (!info) {
    return Status::invalid_argument(field + ": " + info.status().message(),
                                    api_code::kInvalidSession);
  }
  auto in_pool = store_.pool_number(info->e164);
  if (!in_pool) return in_pool.status();
  if (*in_pool) {
    return Status::invalid_argument(
        field + ": " + info->e164 + " is a number of the proxy pool, not a participant",
        api_code::kInvalidSession);
  }
  return info;
}

Params SessionService::conversation_params(const CreateSessionRequest& request,
                                           const std::string& id) const {
  Params params = request.conversation;
  params.emplace_back("UniqueName", id);
  if (!find_param(params, "MessagingServiceSid") && !config_.messaging_service_sid.empty()) {
    params.emplace_back("MessagingServiceSid", config_.messaging_service_sid);
  }
  // Twilio refuses timers on a create without State (50382).
  const bool timers = find_param(params, "Timers.Inactive") || find_param(params, "Timers.Closed");
  if (timers && !find_param(params, "State")) params.emplace_back("State", "active");
  return params;
}

Status SessionService::reserve(const std::string& id, const CreateSessionRequest& request,
                               const std::vector<pool::PhoneInfo>& phones,
                               store::SessionRecord* session) {
  const TimePoint now = clock_.now();
  store::SessionRecord record;
  record.id = id;
  // Without a conversation there is nothing to create at Twilio: open at once.
  record.status = request.with_conversation ? store::status::kCreating : store::status::kOpen;
  record.mode = request.mode;
  if (const std::string* name = find_param(request.conversation, "FriendlyName")) {
    record.friendly_name = *name;
  }
  record.attributes = std::string(param_or(request.conversation, "Attributes", "{}"));
  record.ttl_seconds = request.ttl_seconds;
  record.date_expiry = request.date_expiry;
  if (request.date_expiry) {
    record.expires_at = request.date_expiry;
  } else if (request.ttl_seconds) {
    record.expires_at = now + std::chrono::seconds(*request.ttl_seconds);
  }
  record.created_at = record.updated_at = now;
  record.twilio_request = to_json_text([&] {
    Json::Value params(Json::objectValue);
    for (const auto& [name, value] : conversation_params(request, id)) params[name] = value;
    return params;
  }());
  record.voice_options = request.voice_options;

  std::vector<std::string> addresses;
  for (const pool::PhoneInfo& phone : phones) addresses.push_back(phone.e164);
  const pool::SelectionPolicy& policy = request.policy ? *request.policy : policy_;
  Status status = store_.transact([&](store::Transaction& tx) -> Status {
    record.participants.clear();
    // Creates for the same people run one after another (several hosts: PostgreSQL).
    if (Status s = tx.lock_addresses(addresses); !s) return s;
    auto existing = tx.session(id);
    if (!existing) return existing.status();
    if (*existing) {
      return Status::conflict("a session with uniqueName " + id + " already exists",
                              api_code::kUniqueNameTaken);
    }
    if (Status s = tx.insert_session(record); !s) return s;
    for (const pool::PhoneInfo& phone : phones) {
      std::vector<std::string> counterparts;
      for (const pool::PhoneInfo& other : phones) {
        if (other.e164 != phone.e164) counterparts.push_back(other.e164);
      }
      std::optional<std::string> requested;
      if (auto it = request.proxy_addresses.find(phone.e164); it != request.proxy_addresses.end()) {
        requested = it->second;
      }
      auto proxy = pool::select_proxy_number(tx, phone, counterparts, policy, requested);
      if (!proxy) return proxy.status();
      store::ParticipantRecord participant;
      participant.session_id = id;
      participant.address = phone.e164;
      participant.proxy_number = *proxy;
      participant.created_at = now;
      if (Status s = tx.add_participant(participant); !s) return s;
      record.participants.push_back(participant);
    }
    return request.also_write ? request.also_write(tx, record) : Status::ok();
  });
  if (!status) {
    if (status.api_code() == pool::kNoNumberAvailable) {
      log::warn("pool exhausted", {{"error", status.message()}});
      count("mc_pool_exhausted_total", "");
    }
    return status;
  }
  *session = std::move(record);
  return Status::ok();
}

Status SessionService::create_at_twilio(
    const CreateSessionRequest& request, const store::SessionRecord& session,
    Json::Value* conversation, std::vector<std::pair<std::string, std::string>>* participant_sids) {
  std::vector<twilio::Binding> first, rest;
  const std::string marker = ownership_marker(session.id);
  for (const store::ParticipantRecord& p : session.participants) {
    (first.size() < kParticipantsPerCreate ? first : rest)
        .push_back({p.address, p.proxy_number, marker});
  }
  auto created = conversations_.create_conversation(conversation_params(request, session.id), first,
                                                    request.webhooks_enabled);
  if (!created && created.status().api_code() == twilio::error::kUniqueNameTaken) {
    // Either an earlier attempt of this very create reached Twilio but its answer was lost
    // (the conversation carries our marker: carry on with it), or someone else's
    // conversation has this unique name (never adopted).
    auto owned = fetch_owned_conversation(conversations_, session.id, session.id);
    if (!owned) return owned.status();
    if (!*owned) {
      return Status::conflict("a conversation with uniqueName " + session.id +
                                  " exists at Twilio and was not created by masked-comms",
                              api_code::kUniqueNameTaken);
    }
    if (is_closed_state((*owned)->conversation)) {
      return Status::unavailable("the conversation of " + session.id + " is closed at Twilio",
                                 api_code::kTwilioFailed);
    }
    std::set<std::string> present;
    for (const Json::Value& p : (*owned)->participants) {
      present.insert(p["messaging_binding"]["address"].asString());
    }
    std::vector<twilio::Binding> missing;
    for (const twilio::Binding& b : first) {
      if (!present.count(b.address)) missing.push_back(b);
    }
    rest.insert(rest.begin(), missing.begin(), missing.end());
    created = std::move((*owned)->conversation);
  }
  if (!created) return created.status();
  *conversation = std::move(created).value();
  const std::string conversation_sid = (*conversation)["sid"].asString();

  // Beyond the first ten: parallel batches of single adds.
  std::mutex mutex;
  Status failure;
  size_t next = 0;
  auto worker = [&] {
    while (true) {
      twilio::Binding binding;
      {
        std::lock_guard lock(mutex);
        if (next >= rest.size() || !failure.is_ok()) return;
        binding = rest[next++];
      }
      auto added = conversations_.add_participant(conversation_sid, binding);
      std::lock_guard lock(mutex);
      if (added) {
        participant_sids->emplace_back(binding.address, (*added)["sid"].asString());
      } else if (added.status().api_code() != twilio::error::kParticipantExists) {
        // 50437 means a retried add had already succeeded; anything else is a failure.
        if (failure.is_ok())
          failure = added.status().annotate("adding " + mask_phone_number(binding.address));
      }
    }
  };
  const size_t threads =
      std::min<size_t>(rest.size(), static_cast<size_t>(config_.batch_concurrency));
  std::vector<std::future<void>> running;
  for (size_t i = 0; i < threads; ++i) running.push_back(std::async(std::launch::async, worker));
  for (auto& thread : running) thread.get();
  return failure;
}

Result<bool> SessionService::roll_back(const std::string& id, const std::string& reason,
                                       bool delete_at_twilio) {
  bool rolled_back = false;
  Status status = store_.transact([&](store::Transaction& tx) -> Status {
    auto changed = tx.change_status(id, {store::status::kCreating}, store::status::kFailed,
                                    clock_.now(), reason);
    if (!changed) return changed.status();
    rolled_back = *changed;
    if (!rolled_back) return Status::ok();
    if (!delete_at_twilio) return tx.release_participants(id);
    // By UniqueName (the session id): found even when the SID never arrived. The pairs stay
    // held until Twilio confirms the delete.
    return enqueue_conversation_job(tx, outbox_kind::kDeleteConversation, id, id, clock_.now());
  });
  if (!status) return status;
  return rolled_back;
}

Result<store::SessionRecord> SessionService::create(const CreateSessionRequest& request) {
  std::vector<pool::PhoneInfo> phones;
  if (Status s = validate(request, &phones); !s) return s;
  const std::string id = request.unique_name.value_or(new_session_id());
  store::SessionRecord session;
  if (Status s = reserve(id, request, phones, &session); !s) return s;
  if (!request.with_conversation) {
    count("mc_sessions_created_total", "");
    log::info("session created", {{"session", id}, {"participants", session.participants.size()}});
    return get(id);
  }

  Json::Value conversation;
  std::vector<std::pair<std::string, std::string>> participant_sids;
  Status twilio = create_at_twilio(request, session, &conversation, &participant_sids);
  if (!twilio) {
    log::warn("session creation failed at Twilio; rolling back",
              {{"session", id},
               {"addresses", joined_masked(request.addresses)},
               {"error", twilio.message()}});
    // Someone else's conversation of that name: nothing of ours exists at Twilio.
    const bool foreign = twilio.code() == StatusCode::kConflict;
    auto rolled = roll_back(id, "creation failed: " + twilio.message(), !foreign);
    if (!rolled) {
      log::error("rollback not recorded; the recovery sweep will retry",
                 {{"session", id}, {"error", rolled.status().message()}});
    }
    outbox_.wake();
    count("mc_sessions_failed_total", "");
    // The client gets Twilio's verdict: its own bad input stays 4xx, the rest is 502/503.
    if (twilio.code() == StatusCode::kInvalidArgument || foreign) return twilio;
    return Status(twilio.code() == StatusCode::kUnavailable ||
                          twilio.code() == StatusCode::kDeadlineExceeded ||
                          twilio.code() == StatusCode::kResourceExhausted
                      ? StatusCode::kUnavailable
                      : StatusCode::kFailedPrecondition,
                  "could not create the conversation at Twilio: " + twilio.message(),
                  twilio.api_code() != 0 ? twilio.api_code() : api_code::kTwilioFailed);
  }

  if (Status s = open_with_conversation(id, conversation, participant_sids); !s) return s;
  count("mc_sessions_created_total", "");
  log::info("session created", {{"session", id},
                                {"conversation", conversation["sid"].asString()},
                                {"participants", session.participants.size()}});
  auto stored = store_.session(id);
  if (!stored) return stored.status();
  if (!*stored) return Status::internal("session " + id + " vanished after creation");
  return std::move(**stored);
}

Status SessionService::open_with_conversation(
    const std::string& id, const Json::Value& conversation,
    const std::vector<std::pair<std::string, std::string>>& participant_sids,
    const std::function<Status(store::Transaction&)>& also_write) {
  const std::string conversation_sid = conversation["sid"].asString();
  bool opened = false;
  Status recorded = store_.transact([&](store::Transaction& tx) -> Status {
    auto changed =
        tx.change_status(id, {store::status::kCreating}, store::status::kOpen, clock_.now());
    if (!changed) return changed.status();
    opened = *changed;
    if (!opened) return Status::ok();
    if (Status s = tx.set_conversation(id, conversation_sid, to_json_text(conversation),
                                       participant_sids, clock_.now());
        !s) {
      return s;
    }
    if (also_write) {
      if (Status s = also_write(tx); !s) return s;
    }
    return enqueue_conversation_job(tx, outbox_kind::kRecordParticipantSids, conversation_sid, id,
                                    clock_.now());
  });
  if (!recorded) {
    // The conversation exists but the ledger could not say so; the recovery sweep will find
    // the session `creating` and finish it from Twilio's side.
    return Status::unavailable("session " + id +
                               " was created but could not be recorded: " + recorded.message());
  }
  if (!opened) {
    // The recovery sweep gave up on this session while Twilio was slow: undo our side too.
    Status queued = store_.transact([&](store::Transaction& tx) {
      return enqueue_conversation_job(tx, outbox_kind::kDeleteConversation, conversation_sid, id,
                                      clock_.now());
    });
    if (!queued) {
      log::error(
          "could not queue the delete of an abandoned conversation",
          {{"session", id}, {"conversation", conversation_sid}, {"error", queued.message()}});
    }
    outbox_.wake();
    return Status::unavailable("session " + id + " took too long to create and was rolled back",
                               api_code::kTwilioFailed);
  }
  return Status::ok();
}

Result<store::SessionRecord> SessionService::get(const std::string& id) {
  // masked-communications-app clients hold the conversation SID (`sid` of POST /sessions).
  auto session = is_conversation_sid(id) ? store_.session_by_conversation(id) : store_.session(id);
  if (!session) return session.status();
  if (!*session) return Status::not_found("no session " + id, api_code::kSessionNotFound);
  return std::move(**session);
}

Result<store::SessionPage> SessionService::list(const std::string& status, size_t page_size,
                                                const std::string& page_token) {
  return store_.list_sessions(status, page_size, page_token);
}

Result<store::SessionRecord> SessionService::close(const std::string& key,
                                                   const std::string& reason) {
  std::string id = key;
  if (is_conversation_sid(key)) {  // by conversation SID: find its session first
    auto found = get(key);
    if (!found) return found.status();
    id = found->id;
  }
  std::string conversation_sid;
  bool closed_now = false;
  Status status = store_.transact([&](store::Transaction& tx) -> Status {
    auto session = tx.session(id);
    if (!session) return session.status();
    if (!*session) return Status::not_found("no session " + id, api_code::kSessionNotFound);
    const std::string& current = (*session)->status;
    if (current == store::status::kCreating) {
      return Status::failed_precondition("session " + id + " is still being created",
                                         api_code::kSessionNotReady);
    }
    auto changed =
        tx.change_status(id, kLiveStatuses, store::status::kClosed, clock_.now(), reason);
    if (!changed) return changed.status();
    closed_now = *changed;
    if (!closed_now) return Status::ok();  // closed or failed already
    conversation_sid = (*session)->conversation_sid;
    if (conversation_sid.empty()) return tx.release_participants(id);
    // The (address, proxy) pairs stay held until Twilio has let go of them, or the next
    // create could pick a pair Twilio still refuses (50416/50425).
    return enqueue_conversation_job(tx,
                                    config_.delete_closed_conversations
                                        ? outbox_kind::kDeleteConversation
                                        : outbox_kind::kCloseConversation,
                                    conversation_sid, id, clock_.now());
  });
  if (!status) return status;
  if (closed_now) {
    log::info("session closed", {{"session", id}, {"reason", reason}});
    count("mc_sessions_closed_total", "reason=\"" + reason + "\"");
    hooks_.session_closed.run(SessionClosedEvent{id, conversation_sid, reason});
    outbox_.wake();  // the Twilio side, in the background; retried until Twilio answers
  }
  return get(id);
}

Result<std::optional<store::SessionRecord>> SessionService::close_for_conversation(
    const std::string& conversation_sid, const std::string& reason) {
  auto session = store_.session_by_conversation(conversation_sid);
  if (!session) return session.status();
  if (!*session) return std::optional<store::SessionRecord>();
  auto closed = close((*session)->id, reason);
  if (!closed) return closed.status();
  return std::optional<store::SessionRecord>(std::move(closed).value());
}

Status SessionService::record_interaction(const std::string& session_id, TimePoint at) {
  // A time from a webhook is the sender's word: never later than now.
  at = std::min(at, clock_.now());
  return store_.transact(
      [&](store::Transaction& tx) { return tx.record_interaction(session_id, at); });
}

}  // namespace mc::sessions
