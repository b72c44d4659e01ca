// Programmable Voice as the sandbox plays it: calls placed by phones to pool numbers (the
// number's VoiceUrl is fetched and its TwiML played), calls created through the REST API,
// <Say>, <Dial><Number> (ringing the callee with the chosen caller id), <Conference>,
// <Hangup>, <Reject>, <Redirect>, status callbacks, and how each phone answers.
//
// Thread-safety: public functions take the state lock themselves; HTTP (TwiML fetches and
// callbacks) happens outside it, on the call's strand of the TaskRunner.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/params.h"
#include "core/status.h"
#include "model.h"
#include "sandbox_clock.h"
#include "sid.h"
#include "task_runner.h"
#include "webhooks.h"

namespace mc::sandbox {

// Delivers a webhook and records it in the sandbox's log.
using Deliver = std::function<WebhookResponse(const WebhookRequest&)>;

class VoiceEngine {
 public:
  VoiceEngine(std::mutex& mutex, State& state, SidGenerator& sids, SandboxClock& clock,
              TaskRunner& tasks, Deliver deliver, std::string recordings_base_url)
      : mutex_(mutex),
        state_(state),
        sids_(sids),
        clock_(clock),
        tasks_(tasks),
        deliver_(std::move(deliver)),
        recordings_base_url_(std::move(recordings_base_url)) {}

  // A phone calls a pool number. Returns the new call's SID; playback continues in the
  // background (TaskRunner::wait_idle waits for it to settle).
  Result<std::string> place_inbound_call(const std::string& from, const std::string& to);
  // POST Calls.json: an outbound call from a pool number (queued, then rung).
  Result<std::string> create_call(const Params& params);
  // POST Calls/{Sid}.json: Status=canceled|completed, or new TwiML (Url / Twiml).
  Status update_call(const std::string& sid, const Params& params);
  // The phone on this leg hangs up (a ringing outbound leg is declined: busy).
  Status hang_up(const std::string& sid);
  // A ringing leg is answered now (phones in "manual" mode), as `answered_by`.
  Status answer(const std::string& sid, const std::string& answered_by);

 private:
  struct Effects {
    std::vector<std::pair<std::string, WebhookRequest>> callbacks;  // (strand, request)
    struct Fetch {
      std::string call_sid;
      std::string url;
      std::string method;
      Params extra;
    };
    std::vector<Fetch> fetches;
    std::vector<std::pair<std::string, std::function<void()>>> tasks;
  };

  void run(Effects& effects);
  void fetch_and_play(const std::string& call_sid, const std::string& url,
                      const std::string& method, const Params& extra);
  void play_inline(const std::string& call_sid, const std::string& twiml);

  // The functions below expect the state lock to be held.
  Call& new_call(const std::string& direction, const std::string& from, const std::string& to,
                 const std::string& phone);
  Params call_params(const Call& call) const;
  void callback(Call& call, const std::string& event, Effects& effects);
  void mark_answered(Call& call, Effects& effects);
  // Replaces the call's TwiML with `verbs` and runs it (an error is an application error).
  void play(Call& call, Result<std::vector<TwimlNode>> verbs, Effects& effects);
  void advance(Call& call, Effects& effects);
  void application_error(Call& call, const std::string& why, Effects& effects);
  PhoneBehaviour behaviour_of(const std::string& phone) const;
  // <Gather>: the phone's keys go to the action. False when the call goes on to the next
  // verb (nothing pressed).
  bool gather(Call& call, const TwimlNode& verb, Effects& effects);
  // <Record>: the phone's message is recorded and posted to the action (and the
  // recordingStatusCallback). False when nothing was said.
  bool record(Call& call, const TwimlNode& verb, Effects& effects);
  void start_dial(Call& call, const TwimlNode& dial, Effects& effects);
  void join_conference(Call& call, const TwimlNode& conference, Effects& effects);
  void leave_conference(Call& call, Effects& effects);
  // Schedules how the leg's phone reacts (answer, decline, fail, or keep ringing).
  void ring(Call& leg);
  void answer_leg(Call& leg, const std::string& answered_by, Effects& effects);
  void finish_dial(Call& parent, const std::string& dial_status, const Call* bridged,
                   Effects& effects);
  void end_call(Call& call, CallStatus status, Effects& effects);
  void post_recording(Call& parent, const Call& child, Effects& effects);
  // Schedules `action` on the call's strand at `when`, skipped if the call changed since.
  void schedule(Call& call, TimePoint when, std::function<void(Call&, Effects&)> action);

  std::mutex& mutex_;
  State& state_;
  SidGenerator& sids_;
  SandboxClock& clock_;
  TaskRunner& tasks_;
  Deliver deliver_;
  const std::string recordings_base_url_;
};

}  // namespace mc::sandbox
