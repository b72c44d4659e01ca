#include "modules/hotline/hotline_calls.h"

#include "core/log.h"
#include "modules/hotline/hotline_lookup.h"
#include "modules/hotline/hotline_twiml.h"
#include "store/records.h"

namespace mc::modules::hotline {
namespace {

using mc::hotline::CallLedger;
using mc::hotline::HotlineCall;
using mc::hotline::HotlineRecord;
namespace call_status = mc::hotline::call_status;

// Calls being rung at once; each creates its legs in parallel (MC_HOTLINE_DIAL_CONCURRENCY).
constexpr size_t kRingingThreads = 4;
constexpr size_t kSweepBatch = 100;

std::string query_param(const Request& request, std::string_view name) {
  const std::string* value = find_param(request.query, name);
  return value ? *value : std::string();
}

bool is_machine(std::string_view answered_by) {
  return answered_by.rfind("machine", 0) == 0 || answered_by == "fax";
}

}  // namespace

HotlineCalls::HotlineCalls(mc::hotline::HotlineDirectory& directory, CallLedger& ledger,
                           twilio::TwilioClient& twilio, sessions::Outbox& outbox, Clock& clock,
                           HotlineConfig config, std::string public_base_url)
    : directory_(directory),
      ledger_(ledger),
      outbox_(outbox),
      clock_(clock),
      config_(std::move(config)),
      base_url_(std::move(public_base_url)),
      legs_(twilio, "", static_cast<size_t>(config_.dial_concurrency)),
      ringing_(std::make_unique<TaskQueue>(kRingingThreads)) {}

void HotlineCalls::stop() {
  if (ringing_) ringing_->stop();
}

std::string HotlineCalls::url(const std::string& path, const std::string& call_sid) const {
  return base_url_ + path + "?" + encode_form({{"call", call_sid}});
}

mc::hotline::LegRelease HotlineCalls::release() const { return {taken_by_someone_else()}; }

std::optional<Response> HotlineCalls::inbound(const Request& request) {
  std::string dialled(request.param("Called"));
  if (dialled.empty()) dialled = request.param("To");
  const std::string call_sid(request.param("CallSid"));
  const std::string from(request.param("From"));
  if (dialled.empty() || call_sid.empty()) return std::nullopt;
  const std::optional<HotlineRecord> hotline = hotline_at(directory_, dialled);
  if (!hotline) return std::nullopt;
  const HotlineSettings settings = settings_of(hotline->settings);
  const TimePoint now = clock_.now();
  HotlineCall call;
  call.call_sid = call_sid;
  call.hotline_id = hotline->id;
  call.caller = from;
  call.created_at = now;
  call.ring_deadline =
      now + std::chrono::seconds(settings.ring_timeout_seconds) + config_.answer_grace;
  auto started = ledger_.start(call);
  if (!started) {
    log::error("hotline call not written",
               {{"call", call_sid}, {"error", started.status().message()}});
    return Response::twiml(no_answer(settings, ""));
  }
  if (*started) {
    const bool queued = ringing_->post([this, hotline = *hotline, settings, call_sid, from] {
      ring(hotline, settings, call_sid, from);
    });
    if (!queued) nobody_took(call_sid);  // shutting down
    log::info("hotline call", {{"hotline", call.hotline_id}, {"call", call_sid}, {"from", from}});
  } else {
    log::info("repeated hotline call; not ringing again", {{"call", call_sid}});
  }
  return Response::twiml(caller_waits(settings, room_of(call_sid), config_.wait_url));
}

void HotlineCalls::ring(const HotlineRecord& hotline, const HotlineSettings& settings,
                        const std::string& call_sid, const std::string& caller) {
  std::vector<calls::Leg> legs;
  for (const mc::hotline::Member& m : hotline.members) {
    if (m.paused || m.address == caller) continue;
    Params extra = {{"Url", url("/hotline/leg", call_sid)},
                    {"Method", "POST"},
                    {"Timeout", std::to_string(settings.ring_timeout_seconds)},
                    {"StatusCallback", url("/hotline/leg-status", call_sid)},
                    {"StatusCallbackEvent", "answered"},
                    {"StatusCallbackEvent", "completed"}};
    if (settings.answer_check == answer_check::kMachineDetection) {
      extra.emplace_back("MachineDetection", "Enable");
    }
    legs.push_back({m.address, hotline.number, std::move(extra)});
  }
  const size_t created = legs_.create(
      legs, [&](const calls::Leg& leg, const std::string& sid, const std::string& status) {
        const TimePoint now = clock_.now();
        auto cancelled = ledger_.record_leg({sid, call_sid, leg.address, status, now, now});
        if (!cancelled) {
          log::error("hotline leg not recorded",
                     {{"leg", sid}, {"error", cancelled.status().message()}});
        } else if (*cancelled) {
          outbox_.wake();  // rung after the call was taken or ended
        }
      });
  auto nobody_left = ledger_.legs_done(call_sid, static_cast<int64_t>(created));
  if (nobody_left && *nobody_left) nobody_took(call_sid);
}

void HotlineCalls::nobody_took(const std::string& call_sid) {
  auto call = ledger_.find(call_sid);
  if (!call || !*call) return;
  auto hotline = directory_.find((*call)->hotline_id);
  const HotlineSettings settings =
      hotline && *hotline ? settings_of((*hotline)->settings) : HotlineSettings{};
  auto ended = ledger_.end_ringing(call_sid, call_status::kNoAnswer, clock_.now(), release(),
                                   no_answer(settings, url("/hotline/voicemail", call_sid)));
  if (!ended) {
    log::error("no-answer path not taken",
               {{"call", call_sid}, {"error", ended.status().message()}});
    return;
  }
  if (*ended) {
    outbox_.wake();
    log::info("hotline call not answered", {{"call", call_sid}});
  }
}

Response HotlineCalls::take(const std::string& call_sid, const std::string& leg_sid,
                            const std::string& address) {
  auto claim = ledger_.claim(call_sid, leg_sid, address, clock_.now(), release());
  if (!claim) return Response::error(claim.status());
  if (claim->won) {
    outbox_.wake();
    log::info("hotline call taken", {{"call", call_sid}, {"leg", leg_sid}, {"by", address}});
    return Response::twiml(join(room_of(call_sid)));
  }
  if (claim->status == call_status::kConnected) return Response::twiml(taken_by_someone_else());
  return Response::twiml(call_over());
}

Response HotlineCalls::leg_answered(const Request& request) {
  const std::string call_sid = query_param(request, "call");
  const std::string leg_sid(request.param("CallSid"));
  const std::string address(request.param("To"));
  const std::string answered_by(request.param("AnsweredBy"));
  auto call = ledger_.find(call_sid);
  if (!call) return Response::error(call.status());
  if (!*call || leg_sid.empty()) return Response::twiml(hang_up());
  if ((*call)->status != call_status::kRinging) {
    if ((*call)->winner_leg == leg_sid) return Response::twiml(join(room_of(call_sid)));
    return Response::twiml((*call)->status == call_status::kConnected ? taken_by_someone_else()
                                                                      : call_over());
  }
  auto hotline = directory_.find((*call)->hotline_id);
  if (!hotline) return Response::error(hotline.status());
  const HotlineSettings settings = *hotline ? settings_of((*hotline)->settings) : HotlineSettings{};
  if (settings.answer_check == answer_check::kMachineDetection && is_machine(answered_by)) {
    auto nobody_left = ledger_.leg_status(call_sid, leg_sid, address, "machine", clock_.now());
    if (nobody_left && *nobody_left) nobody_took(call_sid);
    log::info("hotline leg answered by a machine", {{"call", call_sid}, {"leg", leg_sid}});
    return Response::twiml(hang_up());
  }
  if (settings.answer_check == answer_check::kPress1) {
    auto marked = ledger_.leg_status(call_sid, leg_sid, address, "answered", clock_.now());
    if (!marked) return Response::error(marked.status());
    return Response::twiml(
        press_one(*hotline ? (*hotline)->name : "", url("/hotline/leg-gather", call_sid)));
  }
  return take(call_sid, leg_sid, address);
}

Response HotlineCalls::leg_gathered(const Request& request) {
  const std::string call_sid = query_param(request, "call");
  const std::string leg_sid(request.param("CallSid"));
  if (call_sid.empty() || leg_sid.empty()) return Response::twiml(hang_up());
  if (request.param("Digits") != "1") return Response::twiml(hang_up());
  return take(call_sid, leg_sid, std::string(request.param("To")));
}

Response HotlineCalls::leg_status(const Request& request) {
  const std::string call_sid = query_param(request, "call");
  const std::string leg_sid(request.param("CallSid"));
  const std::string status(request.param("CallStatus"));
  // Only a leg's end changes what the call can do; earlier statuses may arrive after the
  // answer webhook and must not undo what it recorded.
  if (call_sid.empty() || leg_sid.empty() || !store::is_final_call_status(status)) {
    return Response::text(200, "ok");
  }
  auto nobody_left =
      ledger_.leg_status(call_sid, leg_sid, std::string(request.param("To")), status, clock_.now());
  if (!nobody_left) return Response::error(nobody_left.status());
  if (*nobody_left) nobody_took(call_sid);
  return Response::text(200, "ok");
}

void HotlineCalls::caller_status(const CallStatusEvent& event) {
  if (event.direction != "inbound" || !store::is_final_call_status(event.status)) return;
  auto ended =
      ledger_.caller_ended(event.call_sid, event.duration_seconds, clock_.now(), release());
  if (!ended) {
    log::error("hotline call end not recorded",
               {{"call", event.call_sid}, {"error", ended.status().message()}});
    return;
  }
  if (*ended && **ended == call_status::kAbandoned) {
    outbox_.wake();
    log::info("hotline caller hung up while ringing", {{"call", event.call_sid}});
  }
}

Response HotlineCalls::voicemail(const Request& request) {
  const std::string call_sid = query_param(request, "call");
  const std::string recording_sid(request.param("RecordingSid"));
  const std::string recording_url(request.param("RecordingUrl"));
  if (call_sid.empty() || recording_sid.empty()) return Response::twiml(voicemail_kept());
  auto call = ledger_.find(call_sid);
  if (!call) return Response::error(call.status());
  if (!*call) return Response::twiml(hang_up());
  auto hotline = directory_.find((*call)->hotline_id);
  if (!hotline) return Response::error(hotline.status());
  const std::optional<int64_t> duration = whole_number(request.param("RecordingDuration"));
  std::vector<mc::hotline::OutgoingText> announcements;
  if (*hotline) {
    const std::string text = "New voicemail on " +
                             ((*hotline)->name.empty() ? (*hotline)->number : (*hotline)->name) +
                             " (" + std::to_string(duration.value_or(0)) + " s): " + recording_url;
    for (const mc::hotline::Member& m : (*hotline)->members) {
      if (!m.paused) announcements.push_back({(*hotline)->number, m.address, text});
    }
  }
  auto kept = ledger_.set_voicemail(call_sid, recording_sid, recording_url, duration, announcements,
                                    clock_.now());
  if (!kept) return Response::error(kept.status());
  if (*kept) {
    outbox_.wake();
    log::info("hotline voicemail", {{"call", call_sid}, {"recording", recording_sid}});
  }
  return Response::twiml(voicemail_kept());
}

size_t HotlineCalls::sweep() {
  auto overdue = ledger_.overdue(clock_.now(), kSweepBatch);
  if (!overdue) {
    log::warn("hotline sweep failed", {{"error", overdue.status().message()}});
    return 0;
  }
  for (const std::string& call_sid : *overdue) nobody_took(call_sid);
  return overdue->size();
}

}  // namespace mc::modules::hotline
