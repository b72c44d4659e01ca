#include "modules/conversations/message_webhooks.h"

#include <algorithm>
#include <cstdlib>

#include "core/log.h"
#include "core/time_format.h"
#include "messages/text_sender.h"
#include "twilio/opt_out_keywords.h"
#include "twilio/twiml.h"

namespace mc::modules::conversations {
namespace {

// A 403 blocks the message at Twilio (any non-2xx would); the body says why, for Twilio's
// debugger, never the message itself.
Response blocked(const std::string& why) { return Response::text(403, "blocked: " + why); }
Response let_through() { return Response::text(200, ""); }

messages::ConversationMessage message_of(const Request& request, TimePoint fallback) {
  messages::ConversationMessage m;
  m.conversation_sid = std::string(request.param("ConversationSid"));
  m.message_sid = std::string(request.param("MessageSid"));
  m.author = std::string(request.param("Author"));
  m.body = std::string(request.param("Body"));
  m.media_json = std::string(request.param("Media"));
  m.at = parse_iso8601(request.param("DateCreated")).value_or(fallback);
  return m;
}

const store::ParticipantRecord* participant(const store::SessionRecord& session,
                                            const std::string& address) {
  for (const store::ParticipantRecord& p : session.participants) {
    if (p.address == address) return &p;
  }
  return nullptr;
}

}  // namespace

MessageWebhooks::MessageWebhooks(store::Store& store, sessions::SessionService& sessions,
                                 messages::MessageLog& log,
                                 std::unique_ptr<messages::MessageRules> rules,
                                 messages::MessagesConfig config, sessions::Outbox& outbox,
                                 twilio::TwilioClient& twilio, Clock& clock, const Hooks& hooks)
    : store_(store),
      sessions_(sessions),
      log_(log),
      rules_(std::move(rules)),
      config_(std::move(config)),
      outbox_(outbox),
      twilio_(twilio),
      clock_(clock),
      hooks_(hooks) {}

void MessageWebhooks::register_outbox_handlers() {
  outbox_.handle(kDeleteMessage, [this](const Json::Value& payload) {
    return twilio_.delete_message(payload["conversation"].asString(),
                                  payload["message"].asString());
  });
  messages::register_send_sms(outbox_, twilio_);
}

Status MessageWebhooks::queue_notices(store::Transaction& tx, const store::SessionRecord& session,
                                      const std::vector<std::string>& opted_out,
                                      const std::vector<std::array<std::string, 3>>& texts) {
  const TimePoint now = clock_.now();
  for (const auto& [from, to, body] : texts) {
    // Twilio would refuse (21610) a text to someone who opted out of the number.
    if (std::find(opted_out.begin(), opted_out.end(), to) != opted_out.end()) continue;
    if (Status s = tx.enqueue(messages::kSendSms, messages::send_sms_payload(from, to, body), now);
        !s) {
      return s;
    }
    store::MessageRecord record;
    record.session_id = session.id;
    record.author = "system";
    record.author_proxy = from;
    Json::Value recipient(Json::objectValue);
    recipient["address"] = to;
    recipient["proxyAddress"] = from;
    Json::Value recipients(Json::arrayValue);
    recipients.append(recipient);
    record.recipients = to_json_text(recipients);
    record.body = body;
    record.status = "notice";
    record.created_at = now;
    if (auto logged = tx.record_message(record); !logged) return logged.status();
  }
  return Status::ok();
}

Status MessageWebhooks::notify(const store::SessionRecord& session,
                               const std::vector<std::array<std::string, 3>>& texts) {
  auto opted = store_.opted_out_participants(session.id);
  if (!opted) return opted.status();
  Status queued = store_.transact(
      [&](store::Transaction& tx) { return queue_notices(tx, session, *opted, texts); });
  if (queued) outbox_.wake();
  return queued;
}

Response MessageWebhooks::opt_change(const store::SessionRecord& session,
                                     const messages::ConversationMessage& m, bool opted_out) {
  const store::ParticipantRecord* author = participant(session, m.author);
  if (author == nullptr) return let_through();
  auto opted = store_.opted_out_participants(session.id);
  if (!opted) return Response::error(opted.status());
  // Once: the others learn this person no longer gets their texts here (by name, never by
  // number), each from their own proxy number.
  const std::string who = author->friendly_name.empty() ? "A participant" : author->friendly_name;
  std::vector<std::array<std::string, 3>> notices;
  for (const store::ParticipantRecord& p : session.participants) {
    if (!p.active || p.address == m.author) continue;
    notices.push_back({p.proxy_number, p.address,
                       who + " has opted out and no longer receives texts in this conversation."});
  }
  // The opt-out, its log row and the notices commit together: a failure leaves none of them,
  // and a STOP that changed nothing (said twice) tells nobody.
  bool told = false;
  Status done = store_.transact([&](store::Transaction& tx) -> Status {
    told = false;
    auto changed = tx.set_opt_out(m.author, author->proxy_number, opted_out, m.at);
    if (!changed) return changed.status();
    auto logged = tx.record_message(
        messages::MessageLog::record_of(session, m, opted_out ? "opt-out" : "opt-in"));
    if (!logged) return logged.status();
    if (!*changed || !opted_out) return Status::ok();
    told = true;
    return queue_notices(tx, session, *opted, notices);
  });
  if (!done) return Response::error(done);
  if (told) outbox_.wake();
  log::info(opted_out ? "participant opted out" : "participant opted back in",
            {{"session", session.id}, {"address", m.author}});
  // The keyword itself is never relayed to the others.
  return blocked(opted_out ? "opt-out keyword" : "opt-in keyword");
}

Response MessageWebhooks::pre_event(const Request& request) {
  if (request.param("EventType") != "onMessageAdd") return let_through();
  const messages::ConversationMessage m = message_of(request, clock_.now());
  if (m.conversation_sid.empty()) return let_through();
  auto session = log_.session_of(m.conversation_sid);
  if (!session) {
    // Not ours (or the ledger is down): Twilio delivers it as it would without us. A
    // ledger outage must not stop every text.
    if (session.status().code() != StatusCode::kNotFound) {
      log::warn("pre-event webhook without the ledger; message let through",
                {{"error", session.status().message()}});
    }
    return let_through();
  }
  if (twilio::is_opt_out_keyword(m.body)) return opt_change(*session, m, true);
  // START, UNSTOP, YES lift an opt-out; from someone who has none, "yes" is just a reply.
  if (twilio::is_opt_in_keyword(m.body)) {
    auto opted = store_.opted_out_participants(session->id);
    if (!opted) return Response::error(opted.status());
    if (std::find(opted->begin(), opted->end(), m.author) != opted->end()) {
      return opt_change(*session, m, false);
    }
  }
  const messages::Verdict verdict = rules_->evaluate(m.body);
  if (verdict.action != messages::Verdict::Action::kBlock && hooks_.intercept.size() > 0) {
    const store::ParticipantRecord* author = participant(*session, m.author);
    const InteractionEvent event{
        session->id, "message", m.author, author ? author->proxy_number : "", "", m.body};
    if (std::optional<std::string> why = hooks_.intercept.run(event)) {
      if (Status s = log_.record(*session, m, "blocked", *why); !s) {
        log::warn("intercepted message not logged", {{"error", s.message()}});
      }
      log::info("message intercepted", {{"session", session->id}, {"by", *why}});
      return blocked(*why);
    }
  }
  switch (verdict.action) {
    case messages::Verdict::Action::kBlock: {
      if (Status s = log_.record(*session, m, "blocked", verdict.reason); !s) {
        log::warn("blocked message not logged", {{"error", s.message()}});
      }
      if (const store::ParticipantRecord* author = participant(*session, m.author)) {
        if (Status s = notify(*session, {{author->proxy_number, m.author, config_.blocked_notice}});
            !s) {
          log::warn("blocked-message notice not queued", {{"error", s.message()}});
        }
      }
      log::info("message blocked", {{"session", session->id}, {"rule", verdict.reason}});
      return blocked(verdict.reason);
    }
    case messages::Verdict::Action::kDeliverChanged: {
      Json::Value changes(Json::objectValue);
      changes["body"] = verdict.body;
      log::info("message redacted", {{"session", session->id}, {"rule", verdict.reason}});
      return Response::json(200, changes);
    }
    case messages::Verdict::Action::kDeliver:
      return let_through();
  }
  return let_through();
}

Response MessageWebhooks::added(const Request& request) {
  const messages::ConversationMessage m = message_of(request, clock_.now());
  auto session = log_.session_of(m.conversation_sid);
  if (!session) {
    if (session.status().code() == StatusCode::kNotFound) {
      return Response::text(200, "not processed");
    }
    return Response::text(503, "failed to record: " + session.status().message());
  }
  // An interaction: the session becomes in-progress and its TTL counts from here.
  if (Status s = sessions_.record_interaction(session->id, m.at); !s) {
    return Response::text(503, "failed to record: " + s.message());
  }
  if (Status s = log_.record(*session, m, "sent"); !s) return Response::error(s);
  hooks_.message_status.run({session->id, m.message_sid, m.author, "", "sent", m.body});
  if (config_.delete_at_twilio && !m.message_sid.empty()) {
    Json::Value payload(Json::objectValue);
    payload["conversation"] = m.conversation_sid;
    payload["message"] = m.message_sid;
    if (Status queued = outbox_.add(kDeleteMessage, payload, clock_.now() + config_.delete_after);
        !queued) {
      return Response::error(queued);
    }
  }
  return Response::text(200, "processed");
}

Response MessageWebhooks::delivery(const Request& request) {
  const std::string conversation(request.param("ConversationSid"));
  const std::string message(request.param("MessageSid"));
  const std::string participant_sid(request.param("ParticipantSid"));
  if (conversation.empty() || message.empty() || participant_sid.empty()) {
    return Response::text(200, "not processed");
  }
  auto session = log_.session_of(conversation);
  if (!session) {
    if (session.status().code() == StatusCode::kNotFound)
      return Response::text(200, "not processed");
    return Response::error(session.status());
  }
  // A receipt in the first moments after the create can name a participant whose SID the
  // outbox has not recorded yet: learnt from Twilio now, or the receipt would be lost.
  const auto named = [&] {
    return std::any_of(
        session->participants.begin(), session->participants.end(),
        [&](const store::ParticipantRecord& p) { return p.participant_sid == participant_sid; });
  };
  const bool sids_missing =
      std::any_of(session->participants.begin(), session->participants.end(),
                  [](const store::ParticipantRecord& p) { return p.participant_sid.empty(); });
  if (!named() && sids_missing) {
    if (Status s = sessions_.learn_participant_sids(session->id, conversation); !s) {
      return Response::error(s);
    }
    session = log_.session_of(conversation);
    if (!session) return Response::error(session.status());
  }
  for (const store::ParticipantRecord& p : session->participants) {
    if (p.participant_sid != participant_sid) continue;
    const std::string error(request.param("ErrorCode"));
    auto recorded = store_.record_delivery(message, p.address, std::string(request.param("Status")),
                                           std::atoi(error.c_str()));
    if (!recorded) return Response::error(recorded.status());
    // A receipt before its message is logged (Twilio does not promise the order) is not kept.
    if (!*recorded) return Response::text(200, "not processed");
    hooks_.message_status.run(
        {session->id, message, "", p.address, std::string(request.param("Status")), ""});
    return Response::text(200, "processed");
  }
  return Response::text(200, "not processed");
}

Response MessageWebhooks::inbound_sms(const Request& request) {
  const std::string from(request.param("From"));
  const std::string to(request.param("To"));
  const std::string body(request.param("Body"));
  twilio::Twiml twiml;
  if (from.empty() || to.empty()) return Response::twiml(twiml.document());
  // STOP: Twilio answers it itself, and nothing is sent to them from that number again.
  // START outside a session (their session ended meanwhile) lifts an opt-out; from anyone
  // without one it is an ordinary text, answered as any other.
  if (twilio::is_opt_out_keyword(body) || twilio::is_opt_in_keyword(body)) {
    const bool opted_out = twilio::is_opt_out_keyword(body);
    auto changed = store_.set_opt_out(from, to, opted_out, clock_.now());
    if (!changed) log::warn("opt-out not recorded", {{"error", changed.status().message()}});
    if (opted_out || !changed || *changed) return Response::twiml(twiml.document());
  }
  if (std::optional<Response> answer = hooks_.unmatched_text.run(request)) return *answer;
  log::info("text outside any session", {{"from", from}, {"to", to}});
  if (!config_.out_of_session_reply.empty()) twiml.message(config_.out_of_session_reply);
  return Response::twiml(twiml.document());
}

}  // namespace mc::modules::conversations
