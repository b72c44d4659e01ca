// Participants joining and leaving a live session, and its expiry changing: the Proxy API's
// Participants and Session updates, on the ledger and selection every session uses.
#include "core/json_values.h"
#include "core/log.h"
#include "core/phone_mask.h"
#include "sessions/conversation_ownership.h"
#include "sessions/session_service.h"
#include "sessions/session_steps.h"

namespace mc::sessions {
namespace {

// Why `session` (found or not) cannot change now; OK when it can.
Status check_live(const std::optional<store::SessionRecord>& session, const std::string& id) {
  if (!session) return Status::not_found("no session " + id, api_code::kSessionNotFound);
  if (session->status == store::status::kCreating ||
      session->status == store::status::kRecovering) {
    return Status::failed_precondition("session " + id + " is still being created",
                                       api_code::kSessionNotReady);
  }
  if (!store::is_live_status(session->status)) {
    return Status::failed_precondition(
        "session " + id + " is " + session->status + " and cannot be changed",
        api_code::kSessionClosed);
  }
  return Status::ok();
}

}  // namespace

Result<store::ParticipantRecord> SessionService::add_participant(
    const std::string& session_id, const AddParticipantRequest& request) {
  auto phone = participant_phone(request.address, "identifier");
  if (!phone) return phone.status();
  const pool::SelectionPolicy& policy = request.policy ? *request.policy : policy_;
  store::ParticipantRecord participant;
  std::string conversation_sid;
  Status reserved = store_.transact([&](store::Transaction& tx) -> Status {
    if (Status s = tx.lock_session(session_id); !s) return s;
    if (Status s = tx.lock_addresses({phone->e164}); !s) return s;
    auto session = tx.session(session_id);
    if (!session) return session.status();
    if (Status s = check_live(*session, session_id); !s) return s;
    std::vector<std::string> counterparts;
    for (const store::ParticipantRecord& p : (*session)->participants) {
      if (!p.active) continue;
      if (p.address == phone->e164) {
        return Status::conflict(phone->e164 + " is already a participant of session " + session_id,
                                api_code::kAlreadyParticipant);
      }
      counterparts.push_back(p.address);
    }
    if (counterparts.size() + 1 > kMaxParticipants) {
      return Status::failed_precondition("session " + session_id + " has " +
                                             std::to_string(counterparts.size()) +
                                             " participants, the most it may have",
                                         api_code::kTooManyParticipants);
    }
    auto proxy = pool::select_proxy_number(tx, *phone, counterparts, policy, request.proxy_number);
    if (!proxy) return proxy.status();
    participant = store::ParticipantRecord{};
    participant.session_id = session_id;
    participant.address = phone->e164;
    participant.proxy_number = *proxy;
    participant.friendly_name = request.friendly_name;
    participant.created_at = clock_.now();
    if (Status s = tx.add_participant(participant); !s) return s;
    conversation_sid = (*session)->conversation_sid;
    return request.also_write ? request.also_write(tx, participant) : Status::ok();
  });
  if (!reserved) {
    if (reserved.api_code() == pool::kNoNumberAvailable) count("mc_pool_exhausted_total", "");
    return reserved;
  }
  if (conversation_sid.empty()) return participant;  // voice only: nothing at Twilio

  auto added = conversations_.add_participant(
      conversation_sid,
      {participant.address, participant.proxy_number, ownership_marker(session_id)});
  if (!added && added.status().api_code() != twilio::error::kParticipantExists) {
    log::warn("participant refused by Twilio; released",
              {{"session", session_id},
               {"address", mask_phone_number(participant.address)},
               {"error", added.status().message()}});
    Status released = store_.transact([&](store::Transaction& tx) -> Status {
      auto done = tx.release_participant(session_id, participant.address);
      if (!done) return done.status();
      return request.undo ? request.undo(tx, participant) : Status::ok();
    });
    if (!released) {
      log::error("could not release a refused participant",
                 {{"session", session_id}, {"error", released.message()}});
    }
    const Status& refused = added.status();
    if (refused.code() == StatusCode::kInvalidArgument) return refused;
    return Status::unavailable(
        "could not add the participant at Twilio: " + refused.message(),
        refused.api_code() != 0 ? refused.api_code() : api_code::kTwilioFailed);
  }
  if (added) {
    participant.participant_sid = (*added)["sid"].asString();
    Status recorded = store_.transact([&](store::Transaction& tx) {
      return tx.set_participant_sids(session_id,
                                     {{participant.address, participant.participant_sid}});
    });
    if (!recorded) {
      log::warn("participant SID not recorded",
                {{"session", session_id}, {"error", recorded.message()}});
    }
  }
  log::info("participant added",
            {{"session", session_id}, {"address", mask_phone_number(participant.address)}});
  return participant;
}

Result<bool> SessionService::remove_participant(
    const std::string& session_id, const std::string& address,
    const std::function<Status(store::Transaction&)>& also_write) {
  bool removed = false;
  Status status = store_.transact([&](store::Transaction& tx) -> Status {
    removed = false;
    if (Status s = tx.lock_session(session_id); !s) return s;
    auto session = tx.session(session_id);
    if (!session) return session.status();
    if (Status s = check_live(*session, session_id); !s) return s;
    bool active = false;
    for (const store::ParticipantRecord& p : (*session)->participants) {
      active = active || (p.active && p.address == address);
    }
    if (!active) return Status::ok();
    removed = true;
    if (also_write) {
      if (Status s = also_write(tx); !s) return s;
    }
    const std::string& conversation_sid = (*session)->conversation_sid;
    if (conversation_sid.empty()) return tx.release_participant(session_id, address).status();
    // As for a closed session: the pair stays held until Twilio has let go of it.
    Json::Value payload(Json::objectValue);
    payload["conversation"] = conversation_sid;
    payload["session"] = session_id;
    payload["address"] = address;
    return tx.enqueue(outbox_kind::kRemoveParticipant, to_json_text(payload), clock_.now());
  });
  if (!status) return status;
  if (removed) {
    log::info("participant removed",
              {{"session", session_id}, {"address", mask_phone_number(address)}});
    outbox_.wake();
  }
  return removed;
}

Result<store::SessionRecord> SessionService::set_expiry(const std::string& session_id,
                                                        std::optional<int64_t> ttl_seconds,
                                                        std::optional<TimePoint> date_expiry) {
  Status status = store_.transact([&](store::Transaction& tx) -> Status {
    auto session = tx.session(session_id);
    if (!session) return session.status();
    if (Status s = check_live(*session, session_id); !s) return s;
    return tx.set_expiry(session_id, ttl_seconds, date_expiry, clock_.now());
  });
  if (!status) return status;
  return get(session_id);
}

Status SessionService::remove_from_conversation(const Json::Value& payload) {
  const std::string session_id = payload["session"].asString();
  const std::string address = payload["address"].asString();
  const std::string conversation_sid = payload["conversation"].asString();
  auto participants = conversations_.list_participants(conversation_sid);
  if (!participants && participants.status().code() != StatusCode::kNotFound) {
    return participants.status();
  }
  if (participants) {
    for (const Json::Value& p : *participants) {
      if (p["messaging_binding"]["address"].asString() != address) continue;
      if (Status s = conversations_.remove_participant(conversation_sid, p["sid"].asString()); !s) {
        return s;
      }
    }
  }
  return store_.transact(
      [&](store::Transaction& tx) { return tx.release_participant(session_id, address).status(); });
}

Result<store::SessionRecord> SessionService::reopen(const std::string& session_id,
                                                    const std::vector<std::string>& addresses) {
  const TimePoint now = clock_.now();
  store::SessionRecord reopened;
  bool moved = false;
  bool with_conversation = false;
  Status reserved = store_.transact([&](store::Transaction& tx) -> Status {
    moved = false;
    if (Status s = tx.lock_session(session_id); !s) return s;
    if (Status s = tx.lock_addresses(addresses); !s) return s;
    auto session = tx.session(session_id);
    if (!session) return session.status();
    if (!*session) return Status::not_found("no session " + session_id, api_code::kSessionNotFound);
    if (store::is_live_status((*session)->status)) return Status::ok();
    if ((*session)->status != store::status::kClosed) {
      return Status::failed_precondition(
          "session " + session_id + " is " + (*session)->status + " and cannot be re-opened",
          api_code::kSessionClosed);
    }
    reopened = std::move(**session);
    std::vector<store::ParticipantRecord> back;
    for (const store::ParticipantRecord& p : reopened.participants) {
      if (p.active) {
        return Status::unavailable("session " + session_id +
                                   " is still being closed at Twilio; try again shortly");
      }
    }
    for (const std::string& address : addresses) {
      const store::ParticipantRecord* last = nullptr;
      for (const store::ParticipantRecord& p : reopened.participants) {
        if (p.address == address) last = &p;  // ordered by id: the latest wins
      }
      if (!last) return Status::invalid_argument(address + " was never in session " + session_id);
      auto holder = tx.active_binding(address, last->proxy_number);
      if (!holder) return holder.status();
      if (*holder) {
        return Status::failed_precondition("a participant's number pair is active in session " +
                                               (*holder)->session_id + "; session " + session_id +
                                               " cannot be re-opened",
                                           api_code::kReopenConflict);
      }
      store::ParticipantRecord again = *last;
      again.id = 0;
      again.participant_sid.clear();
      again.active = true;
      again.created_at = now;
      if (Status s = tx.add_participant(again); !s) return s;
      back.push_back(std::move(again));
    }
    with_conversation = !reopened.conversation_sid.empty();  // voice-only sessions have none
    auto changed =
        tx.change_status(session_id, {store::status::kClosed},
                         with_conversation ? store::status::kCreating : store::status::kOpen, now);
    if (!changed) return changed.status();
    moved = *changed;
    reopened.participants = std::move(back);
    return with_conversation
               ? Status::ok()
               : tx.set_expiry(session_id, reopened.ttl_seconds, reopened.date_expiry, now);
  });
  if (!reserved) {
    // A pair taken between the check and the insert (another host) is the same conflict.
    if (reserved.code() == StatusCode::kAborted) {
      return Status::failed_precondition(
          "a participant's number pair is active elsewhere; session " + session_id +
              " cannot be re-opened",
          api_code::kReopenConflict);
    }
    return reserved;
  }
  if (!moved || !with_conversation) {
    if (moved) log::info("session re-opened", {{"session", session_id}});
    return get(session_id);
  }

  // The new conversation, under the session's id: the closed one was deleted at Twilio
  // (MC_CLOSED_CONVERSATION_ACTION=delete) once the close's outbox item was done.
  CreateSessionRequest request;
  request.mode = reopened.mode;
  Json::Value stored;
  std::string errors;
  if (parse_json_text(reopened.twilio_request, &stored, &errors) && stored.isObject()) {
    for (const std::string& name : stored.getMemberNames()) {
      if (name != "UniqueName") request.conversation.emplace_back(name, stored[name].asString());
    }
  }
  Json::Value conversation;
  std::vector<std::pair<std::string, std::string>> sids;
  if (Status twilio = create_at_twilio(request, reopened, &conversation, &sids); !twilio) {
    log::warn("re-open failed at Twilio; the session ends failed",
              {{"session", session_id}, {"error", twilio.message()}});
    auto rolled = roll_back(session_id, "re-open failed: " + twilio.message(),
                            twilio.code() != StatusCode::kConflict);
    if (!rolled) log::error("rollback not recorded", {{"session", session_id}});
    outbox_.wake();
    return Status(StatusCode::kUnavailable,
                  "could not re-create the conversation at Twilio: " + twilio.message(),
                  api_code::kTwilioFailed);
  }
  // Its TTL counts from the re-open.
  if (Status s = open_with_conversation(session_id, conversation, sids,
                                        [&](store::Transaction& tx) {
                                          return tx.set_expiry(session_id, reopened.ttl_seconds,
                                                               reopened.date_expiry, clock_.now());
                                        });
      !s) {
    return s;
  }
  outbox_.wake();
  log::info("session re-opened",
            {{"session", session_id}, {"conversation", conversation["sid"].asString()}});
  return get(session_id);
}

}  // namespace mc::sessions
