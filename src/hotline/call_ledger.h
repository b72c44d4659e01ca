// A hotline call's life in the ledger, where every process sharing it sees the same one:
//
//   ringing --claim--------> connected --caller ends--> completed
//           --end_ringing--> no-answer (then voicemail, when a message is left) | abandoned
//
// Leaving `ringing` is one conditional UPDATE of the call's row (status = 'ringing' in its
// WHERE), so of any number of members answering at once, on any threads, processes or
// hosts, exactly one changes it and wins; the others see it changed. The legs to take back
// are queued in the outbox in the same commit (cancel-call for a leg still ringing,
// redirect-call for one answered and waiting to pass the answer check), so a crash cannot
// lose them. A leg recorded after the call left `ringing` (Twilio answered its creation
// late) is queued for cancelling as it is recorded: record_leg takes the call row's lock
// first, so it runs wholly before or wholly after the claim.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hotline/hotline_records.h"
#include "store/sql/runner.h"

namespace mc::hotline {

// What a leg is told when the call it rang for was taken by someone else.
struct LegRelease {
  std::string taken_twiml;  // for a leg answered and waiting: "someone else took this call"
};

class CallLedger {
 public:
  explicit CallLedger(store::sql::Runner& runner) : runner_(runner) {}

  // Writes the call, ringing; false when its SID is known (Twilio retried the webhook).
  Result<bool> start(const HotlineCall& call);
  // The call with its legs.
  Result<std::optional<HotlineCall>> find(const std::string& call_sid);
  // A hotline's calls, newest first.
  Result<std::vector<HotlineCall>> list(const std::string& hotline_id, size_t limit);
  // Ringing calls whose ring deadline passed before `now`, oldest first.
  Result<std::vector<std::string>> overdue(TimePoint now, size_t limit);

  // Records a leg Twilio created. True when it was queued for cancelling at once: the call
  // had already left `ringing` and the leg is not the winner's.
  Result<bool> record_leg(const Leg& leg);
  // Every leg was asked of Twilio; `created` of them exist. True when the call is ringing
  // with none of them left ringing (none created, or all ended): nobody can take it.
  Result<bool> legs_done(const std::string& call_sid, int64_t created);
  // A leg's status (Twilio's, or "answered" / "machine"). True as legs_done.
  Result<bool> leg_status(const std::string& call_sid, const std::string& leg_sid,
                          const std::string& address, const std::string& status, TimePoint now);

  struct Claim {
    bool won = false;    // this leg has the call (also when it had it already: a retry)
    std::string status;  // the call's status afterwards; empty when the call is unknown
    std::string winner;  // the address of whoever has it
  };
  // Member `address` on `leg_sid` takes the call if it is still ringing; the other legs are
  // taken back (`release`) in the same commit.
  Result<Claim> claim(const std::string& call_sid, const std::string& leg_sid,
                      const std::string& address, TimePoint now, const LegRelease& release);
  // Moves a ringing call to `status` (no-answer, abandoned); every leg is taken back, and a
  // non-empty `caller_twiml` replaces the caller's TwiML, in the same commit. False when it
  // was not ringing.
  Result<bool> end_ringing(const std::string& call_sid, const std::string& status, TimePoint now,
                           const LegRelease& release, const std::string& caller_twiml);
  // The caller's call ended at Twilio: a ringing call is abandoned (legs taken back), a
  // connected one completed. nullopt when the SID is not a hotline call.
  Result<std::optional<std::string>> caller_ended(const std::string& call_sid,
                                                  std::optional<int64_t> duration, TimePoint now,
                                                  const LegRelease& release);
  // A message the caller left on the no-answer path, and the texts announcing it to the
  // team, in one commit; false (nothing queued) when the call is not on that path (or the
  // message is known: Twilio retried the webhook).
  Result<bool> set_voicemail(const std::string& call_sid, const std::string& recording_sid,
                             const std::string& recording_url,
                             std::optional<int64_t> recording_duration,
                             const std::vector<OutgoingText>& announcements, TimePoint now);

 private:
  store::sql::Runner& runner_;
};

}  // namespace mc::hotline
