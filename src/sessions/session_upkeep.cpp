// The session service's background half, run by the Housekeeper (and by the outbox): the
// handlers that finish a close at Twilio and then release the session's numbers, the
// expiry sweep, the reconciliation of live sessions with Twilio, and the repair of sessions
// a crash left `creating`. Every step is safe with several workers sharing the ledger.
#include <set>

#include "core/log.h"
#include "sessions/conversation_ownership.h"
#include "sessions/session_service.h"
#include "sessions/session_steps.h"

namespace mc::sessions {

void SessionService::register_outbox_handlers() {
  outbox_.handle(outbox_kind::kDeleteConversation,
                 [this](const Json::Value& payload) { return finish_at_twilio(payload, true); });
  outbox_.handle(outbox_kind::kCloseConversation,
                 [this](const Json::Value& payload) { return finish_at_twilio(payload, false); });
  outbox_.handle(outbox_kind::kRecordParticipantSids,
                 [this](const Json::Value& payload) { return record_participant_sids(payload); });
  outbox_.handle(outbox_kind::kRemoveParticipant,
                 [this](const Json::Value& payload) { return remove_from_conversation(payload); });
}

Status SessionService::finish_at_twilio(const Json::Value& payload, bool remove) {
  const std::string key = payload["conversation"].asString();
  const std::string session_id = payload["session"].asString();  // "" in older items
  std::string sid = key;
  if (!is_conversation_sid(key)) {
    // Named by UniqueName: a conversation of that name that masked-comms did not make is
    // someone else's and is left alone.
    auto owned =
        fetch_owned_conversation(conversations_, key, session_id.empty() ? key : session_id);
    if (!owned) return owned.status();
    sid = *owned ? (*owned)->sid() : "";
  }
  if (!sid.empty()) {
    Status done =
        remove ? conversations_.delete_conversation(sid) : conversations_.close_conversation(sid);
    if (!done) return done;
  }
  if (session_id.empty()) return Status::ok();
  // Twilio has let go of the conversation's (address, proxy) pairs; now the ledger does too.
  return store_.transact(
      [&](store::Transaction& tx) { return tx.release_participants(session_id); });
}

Status SessionService::record_participant_sids(const Json::Value& payload) {
  return learn_participant_sids(payload["session"].asString(), payload["conversation"].asString());
}

Status SessionService::learn_participant_sids(const std::string& session_id,
                                              const std::string& conversation_sid) {
  auto participants = conversations_.list_participants(conversation_sid);
  if (!participants) {
    // A conversation deleted meanwhile has no participants left to name.
    return participants.status().code() == StatusCode::kNotFound ? Status::ok()
                                                                 : participants.status();
  }
  std::vector<std::pair<std::string, std::string>> sids;
  for (const Json::Value& p : *participants) {
    sids.emplace_back(p["messaging_binding"]["address"].asString(), p["sid"].asString());
  }
  return store_.transact(
      [&](store::Transaction& tx) { return tx.set_participant_sids(session_id, sids); });
}

size_t SessionService::expire_due() {
  auto due = store_.sessions_due(clock_.now(), 100);
  if (!due) {
    log::warn("expiry sweep failed", {{"error", due.status().message()}});
    return 0;
  }
  size_t closed = 0;
  for (const std::string& id : *due) {
    auto session = store_.session(id);
    if (!session || !*session) continue;
    const std::string reason = (*session)->date_expiry ? "expired" : "ttl";
    auto result = close(id, reason);
    if (result && result->closed_reason == reason) ++closed;
  }
  return closed;
}

size_t SessionService::reconcile_with_twilio(size_t limit) {
  if (limit == 0) return 0;
  auto claimed = store_.claim_sessions_to_reconcile(clock_.now(), limit);
  if (!claimed) {
    log::warn("reconciliation sweep failed", {{"error", claimed.status().message()}});
    return 0;
  }
  size_t closed = 0;
  for (const auto& [id, conversation_sid] : *claimed) {
    auto conversation = conversations_.fetch_conversation(conversation_sid);
    std::string reason;
    if (!conversation && conversation.status().code() == StatusCode::kNotFound) {
      reason = "conversation-removed";  // deleted at Twilio without a webhook reaching us
    } else if (conversation && is_closed_state(*conversation)) {
      reason = "conversation-closed";
    } else {
      if (!conversation) break;  // Twilio unreachable: the next round tries again
      continue;
    }
    auto result = close(id, reason);
    if (result && result->closed_reason == reason) {
      log::info("session closed: its conversation is gone at Twilio",
                {{"session", id}, {"conversation", conversation_sid}, {"reason", reason}});
      ++closed;
    }
  }
  return closed;
}

size_t SessionService::recover_stuck() {
  auto stuck = store_.sessions_stuck_creating(clock_.now() - config_.creating_timeout, 20);
  if (!stuck) return 0;
  size_t repaired = 0;
  for (const std::string& id : *stuck) {
    auto session = store_.session(id);
    if (!session || !*session) continue;
    auto owned = fetch_owned_conversation(conversations_, id, id);
    if (!owned) continue;  // Twilio unreachable: next round
    bool complete = false;
    if (*owned && !is_closed_state((*owned)->conversation)) {
      std::set<std::pair<std::string, std::string>> present;
      for (const Json::Value& p : (*owned)->participants) {
        present.emplace(p["messaging_binding"]["address"].asString(),
                        p["messaging_binding"]["proxy_address"].asString());
      }
      complete = true;
      for (const store::ParticipantRecord& p : (*session)->participants) {
        complete = complete && present.count({p.address, p.proxy_number}) > 0;
      }
    }
    if (complete) {
      const std::string sid = (*owned)->sid();
      // The participants were just listed: their SIDs are recorded with the conversation.
      std::vector<std::pair<std::string, std::string>> participant_sids;
      for (const Json::Value& p : (*owned)->participants) {
        participant_sids.emplace_back(p["messaging_binding"]["address"].asString(),
                                      p["sid"].asString());
      }
      Status finished = store_.transact([&](store::Transaction& tx) -> Status {
        auto changed =
            tx.change_status(id, {store::status::kCreating}, store::status::kOpen, clock_.now());
        if (!changed || !*changed) return changed.status();
        return tx.set_conversation(id, sid, to_json_text((*owned)->conversation), participant_sids,
                                   clock_.now());
      });
      if (finished) {
        log::info("recovered session finished", {{"session", id}, {"conversation", sid}});
        ++repaired;
      }
      continue;
    }
    auto rolled = roll_back(id, "recovered: creation did not finish", owned->has_value());
    if (rolled && *rolled) {
      log::info("recovered session rolled back", {{"session", id}});
      ++repaired;
    }
  }
  if (repaired > 0) outbox_.run_due();  // already in the background
  return repaired;
}

}  // namespace mc::sessions
