#include "voice_engine.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "core/time_format.h"
#include "twiml_reader.h"

namespace mc::sandbox {
namespace {

constexpr const char* kApplicationError =
    "We are sorry, an application error has occurred. Goodbye.";

std::set<std::string> split_events(const std::string& text) {
  std::set<std::string> events;
  std::string event;
  std::istringstream in(text);
  while (in >> event) {
    if (!event.empty() && event.back() == ',') event.pop_back();
    if (!event.empty()) events.insert(event);
  }
  return events;
}

int to_int(const std::string& text, int fallback) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

bool is_e164(const std::string& text) {
  if (text.size() < 8 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "/dial-done" against "https://h.example/inbound-call" -> "https://h.example/dial-done".
std::string resolve_url(const std::string& url, const std::string& base) {
  if (url.empty() || url.find("://") != std::string::npos || base.empty()) return url;
  const size_t scheme = base.find("://");
  if (scheme == std::string::npos) return url;
  const size_t path = base.find('/', scheme + 3);
  const std::string origin = path == std::string::npos ? base : base.substr(0, path);
  if (url.front() == '/') return origin + url;
  const size_t last_slash = base.rfind('/');
  return (last_slash == std::string::npos || last_slash < scheme + 3
              ? origin + "/"
              : base.substr(0, last_slash + 1)) +
         url;
}

}  // namespace

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

void VoiceEngine::advance(Call& call, Effects& effects) {
  while (call.next_verb < call.verbs.size() && !is_final(call.status)) {
    const TwimlNode verb = call.verbs[call.next_verb++];
    if (verb.name == "Say") {
      mark_answered(call, effects);
      state_.phones[call.phone].announcements.push_back(
          {call.sid, verb.text, verb.attribute("voice"), verb.attribute("language")});
    } else if (verb.name == "Play" || verb.name == "Pause") {
      mark_answered(call, effects);
    } else if (verb.name == "Gather") {
      mark_answered(call, effects);
      for (const TwimlNode& nested : verb.children) {
        if (nested.name == "Say") {
          state_.phones[call.phone].announcements.push_back(
              {call.sid, nested.text, nested.attribute("voice"), nested.attribute("language")});
        }
      }
      if (gather(call, verb, effects)) return;
    } else if (verb.name == "Record") {
      mark_answered(call, effects);
      if (record(call, verb, effects)) return;
    } else if (verb.name == "Hangup") {
      end_call(call, CallStatus::kCompleted, effects);
      return;
    } else if (verb.name == "Reject") {
      // Rejected calls are never answered; Twilio reports them as busy.
      end_call(call, CallStatus::kBusy, effects);
      return;
    } else if (verb.name == "Dial") {
      start_dial(call, verb, effects);
      return;
    } else if (verb.name == "Redirect") {
      effects.fetches.push_back({call.sid, verb.text, verb.attribute("method", "POST"), {}});
      return;
    } else {
      application_error(call, "unsupported verb <" + verb.name + ">", effects);
      return;
    }
  }
  if (!is_final(call.status) && call.conference.empty() && call.bridged_with.empty() &&
      call.dial_children.empty()) {
    end_call(call, CallStatus::kCompleted, effects);
  }
}

PhoneBehaviour VoiceEngine::behaviour_of(const std::string& phone) const {
  auto it = state_.behaviours.find(phone);
  return it == state_.behaviours.end() ? PhoneBehaviour{} : it->second;
}

bool VoiceEngine::gather(Call& call, const TwimlNode& verb, Effects& effects) {
  const PhoneBehaviour behaviour = behaviour_of(call.phone);
  const bool machine = behaviour.answer == "machine" || call.answered_by.rfind("machine", 0) == 0;
  std::string digits = machine ? "" : behaviour.digits;
  if (const int wanted = to_int(verb.attribute("numDigits", "0"), 0);
      wanted > 0 && digits.size() > static_cast<size_t>(wanted)) {
    digits.resize(static_cast<size_t>(wanted));
  }
  // Twilio: keys go to the action (the document itself when there is none); silence moves
  // on to the next verb unless actionOnEmptyResult asks for the action anyway.
  if (digits.empty() && verb.attribute("actionOnEmptyResult") != "true") return false;
  if (!digits.empty()) state_.phones[call.phone].keys_pressed.push_back({call.sid, digits});
  const std::string action = verb.attribute("action", call.document_url);
  effects.fetches.push_back(
      {call.sid, action, verb.attribute("method", "POST"), {{"Digits", digits}}});
  return true;
}

bool VoiceEngine::record(Call& call, const TwimlNode& verb, Effects& effects) {
  const PhoneBehaviour behaviour = behaviour_of(call.phone);
  const int seconds =
      std::min(behaviour.record_seconds, to_int(verb.attribute("maxLength", "3600"), 3600));
  if (seconds <= 0) return false;  // nothing said: the next verb
  const std::string recording_sid = sids_.next("RE");
  const std::string recording_url =
      recordings_base_url_ + "/Accounts/" + state_.account_sid + "/Recordings/" + recording_sid;
  state_.phones[call.phone].recordings.push_back({call.sid, recording_sid, seconds});
  const Params recording = {{"RecordingSid", recording_sid},
                            {"RecordingUrl", recording_url},
                            {"RecordingDuration", std::to_string(seconds)}};
  if (const std::string status_url =
          resolve_url(verb.attribute("recordingStatusCallback"), call.document_url);
      !status_url.empty()) {
    Params params = {{"AccountSid", state_.account_sid},
                     {"CallSid", call.sid},
                     {"RecordingStatus", "completed"},
                     {"RecordingChannels", "1"},
                     {"RecordingSource", "RecordVerb"}};
    params.insert(params.end(), recording.begin(), recording.end());
    effects.callbacks.emplace_back(
        call.sid, WebhookRequest{"recording-status", status_url,
                                 verb.attribute("recordingStatusCallbackMethod", "POST"), params});
  }
  const std::string action = verb.attribute("action", call.document_url);
  effects.fetches.push_back({call.sid, action, verb.attribute("method", "POST"), recording});
  return true;
}

void VoiceEngine::start_dial(Call& call, const TwimlNode& dial, Effects& effects) {
  call.dial = dial;
  if (dial.attribute("answerOnBridge") != "true") mark_answered(call, effects);
  std::vector<TwimlNode> numbers;
  const TwimlNode* conference = nullptr;
  for (const TwimlNode& noun : dial.children) {
    if (noun.name == "Number") numbers.push_back(noun);
    if (noun.name == "Conference") conference = &noun;
  }
  if (numbers.empty() && !conference && !dial.text.empty()) {
    numbers.push_back(TwimlNode{"Number", {}, dial.text, {}});
  }
  if (conference) {
    join_conference(call, *conference, effects);
    return;
  }
  if (numbers.empty()) {
    finish_dial(call, "failed", nullptr, effects);
    return;
  }
  const std::string caller_id = dial.attribute("callerId", call.from);
  const int timeout = to_int(dial.attribute("timeout", "30"), 30);
  for (const TwimlNode& number : numbers) {
    Call& leg = new_call("outbound-dial", caller_id, number.text, number.text);
    leg.parent_sid = call.sid;
    leg.timeout_seconds = timeout;
    leg.status_callback = resolve_url(number.attribute("statusCallback"), call.document_url);
    leg.status_callback_method = number.attribute("statusCallbackMethod", "POST");
    leg.status_callback_events = split_events(number.attribute("statusCallbackEvent"));
    call.dial_children.push_back(leg.sid);
    callback(leg, "initiated", effects);
    if (!is_e164(leg.to)) {
      end_call(leg, CallStatus::kFailed, effects);
      continue;
    }
    leg.status = CallStatus::kRinging;
    callback(leg, "ringing", effects);
    ring(leg);
  }
  if (call.dial_children.empty() || is_final(call.status) || !call.bridged_with.empty()) return;
  schedule(call, clock_.now() + std::chrono::seconds(timeout), [this](Call& parent, Effects& e) {
    if (!parent.bridged_with.empty()) return;
    for (const std::string& sid : std::vector<std::string>(parent.dial_children)) {
      if (Call* leg = state_.find_call(sid); leg && !is_final(leg->status)) {
        end_call(*leg, CallStatus::kNoAnswer, e);
      }
    }
  });
}

void VoiceEngine::join_conference(Call& call, const TwimlNode& node, Effects& effects) {
  mark_answered(call, effects);
  const std::string& name = node.text;
  Conference& conference = state_.conferences[name];
  if (conference.sid.empty() || conference.status == "completed") {
    conference = Conference{sids_.next("CF"), name, "init", {}, {}, clock_.now()};
  }
  conference.participants.push_back(call.sid);
  conference.ever_joined.push_back(call.sid);
  if (conference.participants.size() >= 2) conference.status = "in-progress";
  call.conference = name;
  call.end_conference_on_exit = node.attribute("endConferenceOnExit") == "true";
  state_.phones[call.phone].conferences.push_back({call.sid, name});
}

void VoiceEngine::leave_conference(Call& call, Effects& effects) {
  auto it = state_.conferences.find(call.conference);
  call.conference.clear();
  if (it == state_.conferences.end()) return;
  Conference& conference = it->second;
  std::erase(conference.participants, call.sid);
  if (call.end_conference_on_exit && conference.status != "completed") {
    conference.status = "completed";
    const std::vector<std::string> others = std::move(conference.participants);
    conference.participants.clear();
    for (const std::string& sid : others) {
      if (Call* other = state_.find_call(sid)) {
        other->conference.clear();
        advance(*other, effects);  // continues after its <Dial>, usually to its end
      }
    }
  } else if (conference.participants.empty()) {
    conference.status = "completed";
  }
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

void VoiceEngine::fetch_and_play(const std::string& call_sid, const std::string& url,
                                 const std::string& method, const Params& extra) {
  WebhookRequest request;
  Effects effects;
  {
    std::lock_guard lock(mutex_);
    Call* call = state_.find_call(call_sid);
    if (!call || is_final(call->status)) return;
    const std::string target = resolve_url(url, call->document_url);
    if (target.empty()) {
      application_error(*call, "no TwiML URL", effects);
    } else {
      call->document_url = target;
      Params params = call_params(*call);
      params.insert(params.end(), extra.begin(), extra.end());
      request = WebhookRequest{"voice", target, method, std::move(params)};
    }
  }
  if (request.url.empty()) {
    run(effects);
    return;
  }
  const WebhookResponse response = deliver_(request);
  {
    std::lock_guard lock(mutex_);
    Call* call = state_.find_call(call_sid);
    if (!call || is_final(call->status)) return;
    play(*call,
         response.ok() ? read_twiml(response.body)
                       : Result<std::vector<TwimlNode>>(Status::unavailable(
                             "TwiML fetch answered " + std::to_string(response.status))),
         effects);
  }
  run(effects);
}

void VoiceEngine::play(Call& call, Result<std::vector<TwimlNode>> verbs, Effects& effects) {
  if (!verbs) {
    application_error(call, verbs.status().message(), effects);
    return;
  }
  call.verbs = std::move(verbs).value();
  call.next_verb = 0;
  advance(call, effects);
}

void VoiceEngine::play_inline(const std::string& call_sid, const std::string& twiml) {
  Effects effects;
  {
    std::lock_guard lock(mutex_);
    Call* call = state_.find_call(call_sid);
    if (!call || is_final(call->status)) return;
    play(*call, read_twiml(twiml), effects);
  }
  run(effects);
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
