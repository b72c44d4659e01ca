// Ringing the other legs of a call, and taking them back: what a module that connects a
// caller to several people needs (the voice module's group calls now, the hotline next).
// Legs are created at Twilio in parallel from each callee's own proxy number and recorded
// through the call log under their parent call; legs still ringing when the parent has
// ended are cancelled through the outbox (kind kCancelCall), which retries until Twilio
// has them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "calls/call_log.h"
#include "core/clock.h"
#include "core/params.h"
#include "sessions/outbox.h"
#include "store/records.h"
#include "store/store.h"
#include "twilio/client.h"

namespace mc::calls {

// Outbox kind: {"call": CA...}: the leg is cancelled at Twilio.
inline constexpr const char* kCancelCall = "cancel-call";
// Outbox kind: {"call": CA..., "twiml": "<Response>..."}: the call's TwiML is replaced
// (a caller nobody answered, a member who answered too late).
inline constexpr const char* kRedirectCall = "redirect-call";

// The payloads of the two kinds.
std::string cancel_call_payload(const std::string& call_sid);
std::string redirect_call_payload(const std::string& call_sid, const std::string& twiml);

// One callee: who is rung, from which of the pool's numbers, and what else the call's
// creation says (Twiml, Timeout, TimeLimit, MachineDetection, ...).
struct Leg {
  std::string address;
  std::string proxy_number;
  Params extra;
};

// Creates legs at Twilio, `concurrency` at a time, from each Leg's proxy number.
class LegCreator {
 public:
  // `status_callback`: where Twilio reports the legs' statuses (empty: each Leg's extra
  // says, as a StatusCallback of its own).
  LegCreator(twilio::TwilioClient& twilio, std::string status_callback, size_t concurrency);

  // Asks Twilio for every leg and calls `created(leg, sid, status)` for each one it
  // accepted, as it is accepted (on the creating threads, so the caller can record it
  // before its answer could be acted on). How many it accepted.
  using Created =
      std::function<void(const Leg& leg, const std::string& call_sid, const std::string& status)>;
  size_t create(const std::vector<Leg>& legs, const Created& created);

 private:
  twilio::TwilioClient& twilio_;
  const std::string status_callback_;
  const size_t concurrency_;
};

class LegDialer {
 public:
  // `status_callback`: where Twilio reports the legs' statuses; `concurrency`: legs created
  // at once per call.
  LegDialer(twilio::TwilioClient& twilio, store::Store& store, CallLog& log, Clock& clock,
            std::string status_callback, size_t concurrency);

  // Registers kCancelCall and kRedirectCall; start-up only, by every module that queues
  // them (registering again replaces the handlers with the same ones).
  static void register_cancel(sessions::Outbox& outbox, twilio::TwilioClient& twilio);

  // Rings every leg for `caller` (its session and conference taken from it); how many
  // Twilio accepted. If the caller hung up meanwhile, the legs still ringing are cancelled.
  size_t ring(const store::CallRecord& caller, const std::vector<Leg>& legs);

  // Replaces the caller's TwiML (e.g. "nobody could be reached"); failures are logged.
  void redirect_caller(const std::string& call_sid, const std::string& twiml);

 private:
  twilio::TwilioClient& twilio_;
  store::Store& store_;
  CallLog& log_;
  Clock& clock_;
  LegCreator creator_;
};

}  // namespace mc::calls
