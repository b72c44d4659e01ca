// The voice engine's TwiML: fetching a call's document and playing its verbs (<Say>,
// <Gather>, <Record>, <Dial>, <Conference>, <Hangup>, <Reject>, <Redirect>, <Pause>).
#include "core/time_format.h"
#include "twiml_reader.h"
#include "voice_engine.h"
#include "voice_text.h"

namespace mc::sandbox {

using namespace voice_text;

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

}  // namespace mc::sandbox
