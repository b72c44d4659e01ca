#include "modules/hotline/hotline_texts.h"

#include "core/log.h"
#include "modules/hotline/hotline_lookup.h"
#include "modules/hotline/hotline_settings.h"
#include "twilio/opt_out_keywords.h"
#include "twilio/twiml.h"

namespace mc::modules::hotline {
namespace {

using mc::hotline::HotlineRecord;
using mc::hotline::Member;
using mc::hotline::OutgoingText;
using mc::hotline::TextThread;
using mc::hotline::thread_label;

const Member* member_of(const HotlineRecord& hotline, const std::string& address) {
  for (const Member& m : hotline.members) {
    if (m.address == address) return &m;
  }
  return nullptr;
}

std::string name_of(const HotlineRecord& hotline, const std::string& address) {
  const Member* m = member_of(hotline, address);
  return m && !m->name.empty() ? m->name : "another member";
}

Response nothing() { return Response::twiml(twilio::Twiml().document()); }

Response tell(const std::string& text) {
  return Response::twiml(twilio::Twiml().message(text).document());
}

}  // namespace

std::optional<Response> HotlineTexts::inbound(const Request& request) {
  const std::string from(request.param("From"));
  const std::string to(request.param("To"));
  const std::string body(request.param("Body"));
  if (from.empty() || to.empty()) return std::nullopt;
  const std::optional<HotlineRecord> hotline = hotline_at(directory_, to);
  if (!hotline || !settings_of(hotline->settings).texts) return std::nullopt;
  // Twilio answers STOP and START itself; they are never relayed.
  if (twilio::is_opt_out_keyword(body) || twilio::is_opt_in_keyword(body)) return nothing();
  if (member_of(*hotline, from)) return from_member(*hotline, from, body);
  return from_texter(*hotline, from, body);
}

Response HotlineTexts::from_texter(const HotlineRecord& hotline, const std::string& texter,
                                   const std::string& body) {
  auto thread = threads_.texter_wrote(
      hotline.id, texter, body, clock_.now(), config_.thread_idle,
      [&](const TextThread& t, bool opened) {
        const std::string label = thread_label(t.id);
        std::vector<OutgoingText> texts;
        if (!t.claimed_by.empty()) {
          texts.push_back({hotline.number, t.claimed_by, label + " " + body});
          return texts;
        }
        const std::string text = opened
                                     ? label + " New text to " +
                                           (hotline.name.empty() ? "the hotline" : hotline.name) +
                                           ": " + body + " (reply to take it)"
                                     : label + " " + body;
        for (const Member& m : hotline.members) {
          if (!m.paused) texts.push_back({hotline.number, m.address, text});
        }
        return texts;
      });
  if (!thread) return Response::error(thread.status());
  outbox_.wake();
  log::info("hotline text", {{"hotline", hotline.id}, {"thread", thread->id}, {"from", texter}});
  return nothing();
}

Response HotlineTexts::from_member(const HotlineRecord& hotline, const std::string& member,
                                   const std::string& body) {
  // Not a structured binding: lambdas below capture these (clang before 16 cannot).
  const std::pair<std::optional<int64_t>, std::string> split =
      mc::hotline::split_thread_label(body);
  std::optional<int64_t> thread_id = split.first;
  const std::string& text = split.second;
  std::vector<TextThread> others;  // the member's other threads, when no label chose one
  if (!thread_id) {
    auto threads = threads_.member_threads(hotline.id, member);
    if (!threads) return Response::error(threads.status());
    if (threads->empty()) return tell("There is no open text thread to reply to.");
    thread_id = threads->front().id;
    others.assign(threads->begin() + 1, threads->end());
  }
  auto reply = threads_.member_replied(
      hotline.id, *thread_id, member, text, clock_.now(),
      [&](const mc::hotline::ThreadLedger::Reply& r) {
        std::vector<OutgoingText> texts;
        if (!r.found) return texts;
        const std::string label = thread_label(r.thread.id);
        if (!r.delivered) {
          texts.push_back({hotline.number, member,
                           label + " was taken by " + name_of(hotline, r.thread.claimed_by) +
                               "; your reply was not sent."});
          return texts;
        }
        texts.push_back({hotline.number, r.thread.texter, text,
                         base_url_ + "/hotline/text-status?" +
                             encode_form({{"message", std::to_string(r.message_id)}})});
        if (r.claimed_now) {
          for (const Member& m : hotline.members) {
            if (m.address != member && !m.paused) {
              texts.push_back(
                  {hotline.number, m.address, label + " taken by " + name_of(hotline, member)});
            }
          }
        }
        if (!others.empty()) {
          std::string labels;
          for (const TextThread& t : others) labels += " " + thread_label(t.id);
          texts.push_back(
              {hotline.number, member,
               "Sent to " + label + ". To answer another thread, start with its label:" + labels});
        }
        return texts;
      });
  if (!reply) return Response::error(reply.status());
  if (!reply->found) return tell("There is no open text thread " + thread_label(*thread_id) + ".");
  outbox_.wake();
  log::info("hotline reply", {{"hotline", hotline.id},
                              {"thread", reply->thread.id},
                              {"claimed", reply->claimed_now},
                              {"delivered", reply->delivered}});
  return nothing();
}

Response HotlineTexts::delivery(const Request& request) {
  const std::string* message = find_param(request.query, "message");
  const std::string status(request.param("MessageStatus"));
  const std::optional<int64_t> id = message ? whole_number(*message) : std::nullopt;
  if (!id || status.empty()) return Response::text(200, "not processed");
  auto recorded = threads_.record_delivery(*id, status);
  if (!recorded) return Response::error(recorded.status());
  return Response::text(200, *recorded ? "recorded" : "not processed");
}

}  // namespace mc::modules::hotline
