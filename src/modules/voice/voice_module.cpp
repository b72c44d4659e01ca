#include "modules/voice/voice_module.h"

#include <future>
#include <mutex>

#include "calls/call_log.h"
#include "calls/leg_dialer.h"
#include "core/json_values.h"
#include "core/log.h"
#include "core/response.h"
#include "core/task_queue.h"
#include "modules/voice/call_plan.h"
#include "modules/voice/voice_config.h"
#include "sessions/outbox.h"
#include "sessions/session_service.h"
#include "store/live_session_index.h"
#include "store/store.h"
#include "twilio/client.h"
#include "twilio/webhook_validator.h"

namespace mc::modules {
namespace {

using voice::CallbackUrls;

// Group calls being rung at once; each rings its legs in parallel (MC_VOICE_OUTBOUND_CONCURRENCY).
constexpr size_t kRingingThreads = 4;

struct Party {
  std::string address;
  std::string proxy_number;
};

// "+" and 8 to 15 digits. Anonymous, client: and sip: callers are not; the ledger lookup that
// follows is what decides whether a caller belongs to a session.
bool looks_like_e164(std::string_view text) {
  return text.size() >= 9 && text.size() <= 16 && text[0] == '+' &&
         text.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

class VoiceModule final : public Module {
 public:
  std::string_view name() const override { return "voice"; }

  Status check(const Context& context) override {
    if (!context.twilio || !context.webhooks) return needs_twilio();
    return voice::load_voice_config(context.env).status();
  }

  Status init(Context& context) override {
    if (!context.sessions || !context.webhooks || !context.twilio || !context.outbox ||
        !context.live_sessions) {
      return needs_twilio();
    }
    auto config = voice::load_voice_config(context.env);
    if (!config) return config.status();
    config_ = *config;
    store_ = context.store;
    live_sessions_ = context.live_sessions;
    twilio_ = context.twilio;
    outbox_ = context.outbox;
    clock_ = &context.clock;
    hooks_ = &context.hooks;
    urls_.call_status = context.webhooks->public_base_url() + "/call-status";
    calls::LegDialer::register_cancel(*outbox_, *twilio_);
    ringing_ = std::make_unique<TaskQueue>(kRingingThreads);
    calls::CallLogOptions log_options;
    log_options.max_queued = static_cast<size_t>(config_.call_log_queue);
    log_options.window = std::chrono::milliseconds(config_.call_log_window_ms);
    log_options.journal = config_.call_journal && store_->journals_calls();
    live_sessions_->require();  // calls are answered from it once it has loaded
    call_log_ = std::make_unique<calls::CallLog>(*store_, *clock_, log_options, calls::kCancelCall,
                                                 [outbox = outbox_] { outbox->wake(); });
    dialer_ = std::make_unique<calls::LegDialer>(*twilio_, *store_, *call_log_, *clock_,
                                                 urls_.call_status,
                                                 static_cast<size_t>(config_.outbound_concurrency));
    return Status::ok();
  }

  // What is queued is written first (a new conference call's legs are handed to the ringing
  // threads as its record commits), then the calls being rung finish ringing. Legs created
  // after the log stopped are not recorded by this process; their status callbacks record
  // them under their parent call.
  void shutdown() override {
    if (call_log_) call_log_->stop();
    if (ringing_) ringing_->stop();
  }

  void routes(Router& router) override {
    router.add("POST", "/inbound-call", Access::kWebhook,
               [this](Request& request) { return inbound_call(request); });
    router.add("POST", "/call-status", Access::kWebhook,
               [this](Request& request) { return call_status(request); });
    router.add("GET", "/sessions/{id}/calls", Access::kApi, [this](Request& request) {
      return session_calls(std::string(request.path_param("id")));
    });
  }

 private:
  Response out_of_session(std::string_view why, const std::string& from) {
    log::info("call not connected", {{"why", why}, {"from", from}});
    return Response::twiml(voice::out_of_session_twiml(config_));
  }

  Response inbound_call(const Request& request) {
    const std::string call_sid(request.param("CallSid"));
    const std::string from(request.param("From"));
    std::string dialled(request.param("Called"));
    if (dialled.empty()) dialled = request.param("To");
    if (from.empty() || dialled.empty() || call_sid.empty()) {
      return out_of_session("missing From, To or CallSid", from);
    }
    if (!looks_like_e164(from)) {
      if (std::optional<Response> answer = hooks_->unmatched_call.run(request)) return *answer;
      return out_of_session("caller is not a phone number", from);
    }

    // From memory: the index has applied every binding change committed before this call.
    auto session = live_sessions_->find(from, dialled);
    if (!session) {
      log::error("ledger lookup failed", {{"error", session.status().message()}});
      return out_of_session("ledger unavailable", from);
    }
    if (!*session) {
      // A number a module owns (a hotline's) holds no sessions: that module answers.
      if (std::optional<Response> answer = hooks_->unmatched_call.run(request)) return *answer;
      return out_of_session("no active session for this caller and number", from);
    }
    if ((*session)->mode == "message-only") return out_of_session("session is message-only", from);
    std::vector<Party> others;
    for (const store::LiveSession::Member& m : (*session)->members) {
      if (m.address != from) others.push_back({m.address, m.proxy_number});
    }
    if (others.empty()) return out_of_session("nobody else in the session", from);
    if (hooks_->intercept.size() > 0) {
      const InteractionEvent event{(*session)->id, "voice", from, dialled, call_sid, ""};
      if (std::optional<std::string> why = hooks_->intercept.run(event)) {
        log::info("call intercepted", {{"session", event.session_id}, {"by", *why}});
        return Response::twiml(voice::intercepted_twiml());
      }
    }

    const voice::VoiceOptions options = voice::voice_options((*session)->voice_options, config_);
    const TimePoint now = clock_->now();
    store::CallRecord call;
    call.call_sid = call_sid;
    call.session_id = (*session)->id;
    call.direction = "inbound";
    call.from_address = from;
    call.to_address = dialled;
    call.status = std::string(request.param("CallStatus"));
    if (call.status.empty()) call.status = "ringing";
    call.created_at = call.updated_at = now;
    call.kind = others.size() == 1 ? "dial" : "conference";
    if (others.size() > 1) call.conference = voice::room_name(call.session_id, call_sid);

    // The call and the session's interaction are written by the call log, off this thread.
    // A conference's others are rung once the record is in, and only for a new CallSid (a
    // repeated one, Twilio's retry or a replay, joins the room it has and rings nobody).
    std::function<void(bool)> recorded;
    if (others.size() > 1) {
      recorded = [this, call, others, options](bool is_new) {
        if (!is_new) {
          log::info("repeated inbound call; not ringing again", {{"call", call.call_sid}});
          return;
        }
        const bool queued = ringing_->post([this, call, others, options] {
          if (ring_everyone(call, others, options) == 0) tell_caller_nobody_was_reached(call);
        });
        if (!queued) tell_caller_nobody_was_reached(call);  // shutting down
      };
    }
    if (!call_log_->record_inbound(call, std::move(recorded))) {
      log::warn("call log full; call not connected", {{"call", call_sid}});
      return Response::twiml(voice::could_not_connect_twiml(config_));
    }
    std::string twiml =
        others.size() == 1
            ? voice::dial_twiml(config_, options, others[0].address, others[0].proxy_number, urls_)
            : voice::conference_caller_twiml(config_, options, call.conference, urls_);
    log::info("call connected", {{"session", call.session_id},
                                 {"call", call_sid},
                                 {"kind", call.kind},
                                 {"from", from},
                                 {"others", others.size()}});
    return Response::twiml(std::move(twiml));
  }

  // Calls every other participant from their own proxy number into the caller's room, in
  // parallel; returns how many calls Twilio accepted.
  size_t ring_everyone(const store::CallRecord& caller, const std::vector<Party>& others,
                       const voice::VoiceOptions& options) {
    std::vector<calls::Leg> legs;
    for (const Party& party : others) {
      legs.push_back({party.address,
                      party.proxy_number,
                      {{"Twiml", voice::conference_leg_twiml(caller.conference)},
                       {"Timeout", std::to_string(options.ring_timeout_seconds)},
                       {"TimeLimit", std::to_string(options.time_limit_seconds)}}});
    }
    return dialer_->ring(caller, legs);
  }

  // When no leg could be created, the caller would wait alone in the room: their call is
  // given the could-not-connect TwiML instead.
  void tell_caller_nobody_was_reached(const store::CallRecord& caller) {
    dialer_->redirect_caller(caller.call_sid, voice::could_not_connect_twiml(config_));
  }

  // Queued for the call log; answered at once (Twilio does not retry status callbacks, so a
  // full log answers 503 to be seen in Twilio's debugger).
  Response call_status(const Request& request) {
    const std::string call_sid(request.param("CallSid"));
    if (call_sid.empty()) return Response::text(200, "not processed");
    if (const std::string* recording = find_param(request.form, "RecordingSid")) {
      const bool queued = call_log_->report_recording(
          {call_sid, *recording, std::string(request.param("RecordingUrl")),
           whole_number(request.param("RecordingDuration"))});
      return queued ? Response::text(200, "recorded") : Response::text(503, "call log full");
    }
    calls::CallStatusReport report;
    report.call_sid = call_sid;
    report.status = std::string(request.param("CallStatus"));
    if (report.status.empty()) return Response::text(200, "not processed");
    report.duration_seconds = whole_number(request.param("CallDuration"));
    report.parent_call_sid = std::string(request.param("ParentCallSid"));
    report.direction = std::string(request.param("Direction"));
    report.from = std::string(request.param("From"));
    report.to = std::string(request.param("Called"));
    if (report.to.empty()) report.to = std::string(request.param("To"));
    report.at = clock_->now();
    hooks_->call_status.run({report.call_sid, report.status, report.direction, report.from,
                             report.to, report.duration_seconds, report.parent_call_sid});
    if (!call_log_->report_status(std::move(report))) return Response::text(503, "call log full");
    return Response::text(200, "ok");
  }

  Response session_calls(const std::string& session_id) {
    auto session = store_->session(session_id);
    if (!session) return Response::error(session.status());
    if (!*session) return Response::error(404, 20404, "no session " + session_id);
    auto calls = store_->calls_for_session(session_id);
    if (!calls) return Response::error(calls.status());
    Json::Value body(Json::objectValue);
    Json::Value& list = body["calls"] = Json::Value(Json::arrayValue);
    for (const store::CallRecord& c : *calls) {
      Json::Value item(Json::objectValue);
      item["callSid"] = c.call_sid;
      item["parentCallSid"] = text_or_null(c.parent_call_sid);
      item["direction"] = c.direction;
      item["from"] = c.from_address;
      item["to"] = c.to_address;
      item["kind"] = c.kind;
      item["conference"] = c.conference;
      item["status"] = c.status;
      item["duration"] = optional_int(c.duration_seconds);
      item["recordingSid"] = text_or_null(c.recording_sid);
      item["recordingUrl"] = text_or_null(c.recording_url);
      item["dateCreated"] = format_iso8601_millis(c.created_at);
      item["dateEnded"] = optional_iso_time(c.ended_at);
      auto events = store_->call_events(c.call_sid);
      Json::Value& history = item["statuses"] = Json::Value(Json::arrayValue);
      for (const store::CallEvent& e : events ? *events : std::vector<store::CallEvent>{})
        history.append(e.status);
      list.append(item);
    }
    return Response::json(200, body);
  }

  voice::VoiceConfig config_;
  CallbackUrls urls_;
  store::Store* store_ = nullptr;
  store::LiveSessionIndex* live_sessions_ = nullptr;
  twilio::TwilioClient* twilio_ = nullptr;
  sessions::Outbox* outbox_ = nullptr;
  Clock* clock_ = nullptr;
  const Hooks* hooks_ = nullptr;
  std::unique_ptr<TaskQueue> ringing_;        // rings conference legs off the request threads
  std::unique_ptr<calls::CallLog> call_log_;  // writes calls and statuses in batches
  std::unique_ptr<calls::LegDialer> dialer_;  // rings a group call's other legs
};

}  // namespace

std::unique_ptr<Module> make_voice_module() { return std::make_unique<VoiceModule>(); }

}  // namespace mc::modules
