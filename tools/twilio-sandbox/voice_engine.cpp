// The voice engine's calls: their life cycle (ringing, answered, ended, with their status
// callbacks and recordings) and the Calls resource's create and update. Playing TwiML on a
// call is voice_twiml.cpp.
#include "voice_engine.h"

#include "core/time_format.h"
#include "twiml_reader.h"
#include "voice_text.h"

namespace mc::sandbox {
namespace {

constexpr const char* kApplicationError =
    "We are sorry, an application error has occurred. Goodbye.";

}  // namespace

using namespace voice_text;

Call& VoiceEngine::new_call(const std::string& direction, const std::string& from,
                            const std::string& to, const std::string& phone) {
  Call call;
  call.sid = sids_.next("CA");
  call.direction = direction;
  call.from = from;
  call.to = to;
  call.phone = phone;
  call.date_created = call.date_updated = clock_.now();
  state_.call_order.push_back(call.sid);
  state_.phones[phone].call_sids.push_back(call.sid);
  const std::string sid = call.sid;
  return state_.calls.emplace(sid, std::move(call)).first->second;
}

Params VoiceEngine::call_params(const Call& call) const {
  Params params = {{"AccountSid", state_.account_sid},
                   {"ApiVersion", "2010-04-01"},
                   {"CallSid", call.sid},
                   {"CallStatus", std::string(call_status_name(call.status))},
                   {"Called", call.to},
                   {"Caller", call.from},
                   {"Direction", call.direction},
                   {"From", call.from},
                   {"To", call.to}};
  if (!call.parent_sid.empty()) params.emplace_back("ParentCallSid", call.parent_sid);
  if (!call.answered_by.empty()) params.emplace_back("AnsweredBy", call.answered_by);
  return params;
}

void VoiceEngine::callback(Call& call, const std::string& event, Effects& effects) {
  if (call.status_callback.empty()) return;
  const bool wanted = event == "completed" ? call.status_callback_events.empty() ||
                                                 call.status_callback_events.count("completed")
                                           : call.status_callback_events.count(event) > 0;
  if (!wanted) return;
  Params params = call_params(call);
  std::string status(call_status_name(call.status));
  if (event == "initiated") status = "initiated";
  if (event == "ringing") status = "ringing";
  if (event == "answered") status = "in-progress";
  for (auto& [name, value] : params) {
    if (name == "CallStatus") value = status;
  }
  params.emplace_back("Timestamp", format_rfc2822(clock_.now()));
  params.emplace_back("CallbackSource", "call-progress-events");
  params.emplace_back("SequenceNumber", std::to_string(call.sequence_number++));
  if (event == "completed") {
    int64_t duration = 0;
    if (call.start_time && call.end_time) {
      duration = std::chrono::duration_cast<std::chrono::seconds>(*call.end_time - *call.start_time)
                     .count();
    }
    params.emplace_back("CallDuration", std::to_string(duration));
  }
  effects.callbacks.emplace_back(call.sid, WebhookRequest{"status-callback", call.status_callback,
                                                          call.status_callback_method, params});
}

void VoiceEngine::mark_answered(Call& call, Effects& effects) {
  if (call.status != CallStatus::kQueued && call.status != CallStatus::kRinging) return;
  call.status = CallStatus::kInProgress;
  call.start_time = call.date_updated = clock_.now();
  callback(call, "answered", effects);
}

void VoiceEngine::application_error(Call& call, const std::string& why, Effects& effects) {
  state_.phones[call.phone].announcements.push_back({call.sid, kApplicationError, "", ""});
  state_.alerts.push_back({call.sid, why, clock_.now()});
  end_call(call, CallStatus::kCompleted, effects);
}

PhoneBehaviour VoiceEngine::behaviour_of(const std::string& phone) const {
  auto it = state_.behaviours.find(phone);
  return it == state_.behaviours.end() ? PhoneBehaviour{} : it->second;
}

void VoiceEngine::ring(Call& leg) {
  const PhoneBehaviour behaviour = behaviour_of(leg.phone);
  if (behaviour.answer == "human" || behaviour.answer == "machine") {
    std::string answered_by = "human";
    if (behaviour.answer == "machine") {
      answered_by =
          leg.machine_detection == "DetectMessageEnd" ? "machine_end_beep" : "machine_start";
    }
    schedule(leg, clock_.now() + behaviour.delay,
             [this, answered_by](Call& c, Effects& e) { answer_leg(c, answered_by, e); });
  } else if (behaviour.answer == "busy") {
    schedule(leg, clock_.now(), [this](Call& c, Effects& e) { end_call(c, CallStatus::kBusy, e); });
  } else if (behaviour.answer == "fail") {
    schedule(leg, clock_.now(),
             [this](Call& c, Effects& e) { end_call(c, CallStatus::kFailed, e); });
  }
  // "no-answer" and "manual": the leg rings until answered, hung up, or timed out.
}

void VoiceEngine::answer_leg(Call& leg, const std::string& answered_by, Effects& effects) {
  if (leg.status != CallStatus::kRinging && leg.status != CallStatus::kQueued) return;
  if (!leg.machine_detection.empty()) leg.answered_by = answered_by;
  mark_answered(leg, effects);
  if (leg.direction != "outbound-dial") {
    if (!leg.twiml.empty()) {
      const std::string sid = leg.sid, twiml = leg.twiml;
      effects.tasks.emplace_back(sid, [this, sid, twiml] { play_inline(sid, twiml); });
    } else {
      effects.fetches.push_back({leg.sid, leg.url, leg.method, {}});
    }
    return;
  }
  Call* parent = state_.find_call(leg.parent_sid);
  if (!parent || is_final(parent->status) || !parent->bridged_with.empty()) {
    end_call(leg, CallStatus::kCompleted, effects);
    return;
  }
  parent->bridged_with = leg.sid;
  leg.bridged_with = parent->sid;
  ++parent->generation;  // the dial timeout no longer applies
  mark_answered(*parent, effects);
  for (const std::string& sid : std::vector<std::string>(parent->dial_children)) {
    if (Call* other = state_.find_call(sid); other && other != &leg && !is_final(other->status)) {
      end_call(*other, CallStatus::kCanceled, effects);
    }
  }
  parent->recorded = parent->dial.attribute("record").rfind("record-from", 0) == 0;
  if (const int limit = to_int(parent->dial.attribute("timeLimit", "0"), 0); limit > 0) {
    schedule(*parent, clock_.now() + std::chrono::seconds(limit),
             [this](Call& c, Effects& e) { end_call(c, CallStatus::kCompleted, e); });
  }
}

void VoiceEngine::finish_dial(Call& parent, const std::string& dial_status, const Call* bridged,
                              Effects& effects) {
  const TwimlNode dial = parent.dial;
  parent.dial_children.clear();
  parent.bridged_with.clear();
  ++parent.generation;
  if (is_final(parent.status)) return;
  const std::string action = dial.attribute("action");
  if (!action.empty()) {
    Params extra = {{"DialCallStatus", dial_status}};
    if (bridged) {
      extra.emplace_back("DialCallSid", bridged->sid);
      int64_t duration = 0;
      if (bridged->start_time && bridged->end_time) {
        duration = std::chrono::duration_cast<std::chrono::seconds>(*bridged->end_time -
                                                                    *bridged->start_time)
                       .count();
      }
      extra.emplace_back("DialCallDuration", std::to_string(duration));
      extra.emplace_back("DialBridged", "true");
    }
    effects.fetches.push_back({parent.sid, action, dial.attribute("method", "POST"), extra});
    return;
  }
  advance(parent, effects);
}

void VoiceEngine::post_recording(Call& parent, const Call& child, Effects& effects) {
  parent.recorded = false;
  const std::string url =
      resolve_url(parent.dial.attribute("recordingStatusCallback"), parent.document_url);
  if (url.empty()) return;
  const std::string recording_sid = sids_.next("RE");
  int64_t duration = 0;
  if (child.start_time) {
    duration =
        std::chrono::duration_cast<std::chrono::seconds>(clock_.now() - *child.start_time).count();
  }
  const std::string record = parent.dial.attribute("record");
  const bool dual = record.size() > 5 && record.substr(record.size() - 5) == "-dual";
  Params params = {
      {"AccountSid", state_.account_sid},
      {"CallSid", parent.sid},
      {"RecordingSid", recording_sid},
      {"RecordingUrl",
       recordings_base_url_ + "/Accounts/" + state_.account_sid + "/Recordings/" + recording_sid},
      {"RecordingStatus", "completed"},
      {"RecordingDuration", std::to_string(duration)},
      {"RecordingChannels", dual ? "2" : "1"},
      {"RecordingSource", "DialVerb"},
      {"RecordingStartTime", child.start_time ? format_rfc2822(*child.start_time) : ""}};
  effects.callbacks.emplace_back(
      parent.sid,
      WebhookRequest{"recording-status", url,
                     parent.dial.attribute("recordingStatusCallbackMethod", "POST"), params});
}

void VoiceEngine::end_call(Call& call, CallStatus status, Effects& effects) {
  if (is_final(call.status)) return;
  const bool was_answered = call.status == CallStatus::kInProgress;
  call.status = status;
  call.end_time = call.date_updated = clock_.now();
  ++call.generation;
  if (!call.conference.empty()) leave_conference(call, effects);
  if (!call.bridged_with.empty()) {
    Call* other = state_.find_call(call.bridged_with);
    call.bridged_with.clear();
    if (other) {
      other->bridged_with.clear();
      if (other->sid == call.parent_sid) {
        // The callee hung up: the caller's <Dial> is over and its TwiML goes on.
        if (other->recorded) post_recording(*other, call, effects);
        finish_dial(*other, "completed", &call, effects);
      } else {
        // The caller hung up: the callee's leg ends with it.
        if (call.recorded) post_recording(call, *other, effects);
        end_call(*other, CallStatus::kCompleted, effects);
      }
    }
  }
  for (const std::string& sid : std::vector<std::string>(call.dial_children)) {
    if (Call* child = state_.find_call(sid); child && !is_final(child->status)) {
      end_call(*child, CallStatus::kCanceled, effects);
    }
  }
  call.dial_children.clear();
  if (call.direction == "outbound-dial" && !was_answered) {
    Call* parent = state_.find_call(call.parent_sid);
    if (parent && !is_final(parent->status) && parent->bridged_with.empty() &&
        std::find(parent->dial_children.begin(), parent->dial_children.end(), call.sid) !=
            parent->dial_children.end()) {
      bool all_final = true, all_busy = true, all_failed = true;
      for (const std::string& sid : parent->dial_children) {
        const Call* leg = state_.find_call(sid);
        if (!leg) continue;
        all_final = all_final && is_final(leg->status);
        all_busy = all_busy && leg->status == CallStatus::kBusy;
        all_failed = all_failed && leg->status == CallStatus::kFailed;
      }
      if (all_final) {
        finish_dial(*parent,
                    all_busy     ? "busy"
                    : all_failed ? "failed"
                                 : "no-answer",
                    nullptr, effects);
      }
    }
  }
  callback(call, "completed", effects);
}

void VoiceEngine::schedule(Call& call, TimePoint when,
                           std::function<void(Call&, Effects&)> action) {
  const std::string sid = call.sid;
  const uint64_t generation = call.generation;
  tasks_.post_at(when, sid, [this, sid, generation, action = std::move(action)] {
    Effects effects;
    {
      std::lock_guard lock(mutex_);
      Call* call = state_.find_call(sid);
      if (!call || call->generation != generation) return;
      action(*call, effects);
    }
    run(effects);
  });
}

void VoiceEngine::run(Effects& effects) {
  for (auto& [strand, request] : effects.callbacks) {
    tasks_.post(strand, [this, request = std::move(request)] { deliver_(request); });
  }
  for (auto& fetch : effects.fetches) {
    tasks_.post(fetch.call_sid, [this, fetch = std::move(fetch)] {
      fetch_and_play(fetch.call_sid, fetch.url, fetch.method, fetch.extra);
    });
  }
  for (auto& [strand, task] : effects.tasks) tasks_.post(strand, std::move(task));
}

Result<std::string> VoiceEngine::place_inbound_call(const std::string& from,
                                                    const std::string& to) {
  Effects effects;
  std::string sid;
  {
    std::lock_guard lock(mutex_);
    PhoneNumber* number = state_.find_number(to);
    if (!number) return Status::not_found(to + " is not a phone number of this sandbox", 20404);
    if (from.empty()) return Status::invalid_argument("From is required", 21213);
    Call& call = new_call("inbound", from, number->phone_number, from);
    call.status = CallStatus::kRinging;
    call.status_callback = number->status_callback;
    call.status_callback_method = number->status_callback_method;
    sid = call.sid;
    effects.fetches.push_back({sid, number->voice_url, number->voice_method, {}});
  }
  run(effects);
  return sid;
}

Result<std::string> VoiceEngine::create_call(const Params& params) {
  const std::string to(param_or(params, "To"));
  const std::string from(param_or(params, "From"));
  if (to.empty()) return Status::invalid_argument("Required parameter \"To\" is missing.", 21201);
  if (from.empty())
    return Status::invalid_argument("Required parameter \"From\" is missing.", 21213);
  if (!is_e164(to) && to.rfind("client:", 0) != 0 && to.rfind("sip:", 0) != 0) {
    return Status::invalid_argument("The 'To' number " + to + " is not a valid phone number.",
                                    21211);
  }
  const std::string url(param_or(params, "Url"));
  const std::string twiml(param_or(params, "Twiml"));
  if (url.empty() && twiml.empty() && !find_param(params, "ApplicationSid")) {
    return Status::invalid_argument("Url parameter is required.", 21205);
  }
  if (url.empty() && twiml.size() > 4000) {
    return Status::invalid_argument("Twiml is longer than 4000 characters.", 21220);
  }
  Effects effects;
  std::string sid;
  {
    std::lock_guard lock(mutex_);
    if (!state_.find_number(from)) {
      return Status::invalid_argument(
          "The source phone number provided, " + from + ", is not yet verified for your account.",
          21210);
    }
    Call& call = new_call("outbound-api", from, to, to);
    call.url = url;
    call.twiml = url.empty() ? twiml : "";
    call.method = std::string(param_or(params, "Method", "POST"));
    call.status_callback = std::string(param_or(params, "StatusCallback"));
    call.status_callback_method = std::string(param_or(params, "StatusCallbackMethod", "POST"));
    for (const std::string& events : all_params(params, "StatusCallbackEvent")) {
      for (const std::string& event : split_events(events))
        call.status_callback_events.insert(event);
    }
    call.timeout_seconds =
        std::clamp(to_int(std::string(param_or(params, "Timeout", "60")), 60), 1, 600);
    call.time_limit_seconds = to_int(std::string(param_or(params, "TimeLimit", "0")), 0);
    call.machine_detection = std::string(param_or(params, "MachineDetection"));
    sid = call.sid;
    effects.tasks.emplace_back(sid, [this, sid] {
      Effects started;
      {
        std::lock_guard lock(mutex_);
        Call* c = state_.find_call(sid);
        if (!c || c->status != CallStatus::kQueued) return;
        callback(*c, "initiated", started);
        c->status = CallStatus::kRinging;
        c->date_updated = clock_.now();
        callback(*c, "ringing", started);
        ring(*c);
        schedule(*c, clock_.now() + std::chrono::seconds(c->timeout_seconds),
                 [this](Call& ringing, Effects& e) {
                   if (ringing.status == CallStatus::kRinging)
                     end_call(ringing, CallStatus::kNoAnswer, e);
                 });
      }
      run(started);
    });
  }
  run(effects);
  return sid;
}

Status VoiceEngine::update_call(const std::string& sid, const Params& params) {
  Effects effects;
  {
    std::lock_guard lock(mutex_);
    Call* call = state_.find_call(sid);
    if (!call) {
      return Status::not_found("The requested resource /Calls/" + sid + ".json was not found",
                               20404);
    }
    if (const std::string* callback_url = find_param(params, "StatusCallback")) {
      call->status_callback = *callback_url;
    }
    const std::string status(param_or(params, "Status"));
    if (!status.empty() && status != "canceled" && status != "completed") {
      return Status::invalid_argument("Status must be canceled or completed", 20001);
    }
    const bool ringing =
        call->status == CallStatus::kQueued || call->status == CallStatus::kRinging;
    if (status == "canceled" && ringing) {
      end_call(*call, CallStatus::kCanceled, effects);
    } else if (status == "completed") {
      if (ringing) end_call(*call, CallStatus::kCanceled, effects);
      if (call->status == CallStatus::kInProgress) end_call(*call, CallStatus::kCompleted, effects);
    } else if (status.empty()) {
      const std::string url(param_or(params, "Url"));
      const std::string twiml(param_or(params, "Twiml"));
      if (!url.empty() || !twiml.empty()) {
        if (call->status != CallStatus::kInProgress) {
          return Status::invalid_argument("Call is not in-progress. Cannot redirect.", 21220);
        }
        if (!call->conference.empty()) {
          call->end_conference_on_exit = false;
          leave_conference(*call, effects);
        }
        if (Call* other = state_.find_call(call->bridged_with);
            other && other->parent_sid == call->sid) {
          call->bridged_with.clear();
          other->bridged_with.clear();
          end_call(*other, CallStatus::kCompleted, effects);
        }
        for (const std::string& child : std::vector<std::string>(call->dial_children)) {
          if (Call* leg = state_.find_call(child); leg && !is_final(leg->status)) {
            end_call(*leg, CallStatus::kCanceled, effects);
          }
        }
        call->dial_children.clear();
        ++call->generation;
        if (!url.empty()) {
          effects.fetches.push_back(
              {sid, url, std::string(param_or(params, "Method", "POST")), {}});
        } else {
          effects.tasks.emplace_back(sid, [this, sid, twiml] { play_inline(sid, twiml); });
        }
      }
    }
  }
  run(effects);
  return Status::ok();
}

Status VoiceEngine::hang_up(const std::string& sid) {
  Effects effects;
  {
    std::lock_guard lock(mutex_);
    Call* call = state_.find_call(sid);
    if (!call) return Status::not_found("no call " + sid, 20404);
    if (is_final(call->status)) return Status::failed_precondition("call " + sid + " has ended");
    if (call->status == CallStatus::kInProgress) {
      end_call(*call, CallStatus::kCompleted, effects);
    } else if (call->direction == "inbound") {
      end_call(*call, CallStatus::kCanceled, effects);
    } else {
      end_call(*call, CallStatus::kBusy, effects);  // the rung phone declines
    }
  }
  run(effects);
  return Status::ok();
}

Status VoiceEngine::answer(const std::string& sid, const std::string& answered_by) {
  Effects effects;
  {
    std::lock_guard lock(mutex_);
    Call* call = state_.find_call(sid);
    if (!call) return Status::not_found("no call " + sid, 20404);
    if (call->status != CallStatus::kRinging) {
      return Status::failed_precondition("call " + sid + " is not ringing");
    }
    answer_leg(*call, answered_by.empty() ? "human" : answered_by, effects);
  }
  run(effects);
  return Status::ok();
}

}  // namespace mc::sandbox
