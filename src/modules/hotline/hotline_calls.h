// Internal to the hotline module: a call to a hotline, from the inbound webhook to its end.
//
// The inbound webhook answers at once (the caller waits in the call's room hearing the
// wait music) after writing the call; the members' legs are created off the request
// thread, each recorded as Twilio accepts it. A leg's answer comes back to leg_answered:
// under the answer check (none, machine detection, press 1 via leg_gathered) the member
// takes the call with CallLedger::claim, which has exactly one winner and queues the other
// legs' release in the same commit. The no-answer path runs once, when the last leg ends
// untaken or the call's deadline passes (sweep()); a caller who hangs up first has every leg
// released. Nothing lives only in memory: any worker sharing the ledger can carry on a call
// another one started.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "calls/leg_dialer.h"
#include "core/clock.h"
#include "core/events.h"
#include "core/request.h"
#include "core/response.h"
#include "core/task_queue.h"
#include "hotline/call_ledger.h"
#include "hotline/hotline_directory.h"
#include "modules/hotline/hotline_config.h"
#include "modules/hotline/hotline_settings.h"
#include "sessions/outbox.h"

namespace mc::modules::hotline {

class HotlineCalls {
 public:
  HotlineCalls(mc::hotline::HotlineDirectory& directory, mc::hotline::CallLedger& ledger,
               twilio::TwilioClient& twilio, sessions::Outbox& outbox, Clock& clock,
               HotlineConfig config, std::string public_base_url);
  ~HotlineCalls() { stop(); }

  // Finishes ringing the calls being rung. Idempotent.
  void stop();

  // The unmatched_call hook: a call to a hotline's number; nullopt for any other number.
  std::optional<Response> inbound(const Request& request);
  // POST /hotline/leg?call=CA...: a member's leg was answered (AnsweredBy with machine
  // detection).
  Response leg_answered(const Request& request);
  // POST /hotline/leg-gather?call=CA...: the digits a member pressed.
  Response leg_gathered(const Request& request);
  // POST /hotline/leg-status?call=CA...: a leg's status.
  Response leg_status(const Request& request);
  // POST /hotline/voicemail?call=CA...: the recording a caller left.
  Response voicemail(const Request& request);
  // The call_status hook: the caller's own call ended.
  void caller_status(const CallStatusEvent& event);
  // Gives the no-answer path to calls past their deadline; how many.
  size_t sweep();

 private:
  // Rings every available member but the caller; with none rung, the no-answer path.
  void ring(const mc::hotline::HotlineRecord& hotline, const HotlineSettings& settings,
            const std::string& call_sid, const std::string& caller);
  Response take(const std::string& call_sid, const std::string& leg_sid,
                const std::string& address);
  // The caller nobody took gets the no-answer path (once, whoever asks first).
  void nobody_took(const std::string& call_sid);
  std::string url(const std::string& path, const std::string& call_sid) const;
  mc::hotline::LegRelease release() const;

  mc::hotline::HotlineDirectory& directory_;
  mc::hotline::CallLedger& ledger_;
  sessions::Outbox& outbox_;
  Clock& clock_;
  const HotlineConfig config_;
  const std::string base_url_;
  calls::LegCreator legs_;
  std::unique_ptr<TaskQueue> ringing_;  // rings members off the request threads
};

}  // namespace mc::modules::hotline
