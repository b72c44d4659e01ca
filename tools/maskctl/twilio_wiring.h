// What this deployment needs set at Twilio, read back from Twilio and compared: the webhook
// URLs of every pool number, the Conversations post-event webhook and its filters, and the
// Messaging Service's numbers. doctor reports the differences; configure sends their fixes.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "twilio/client.h"

namespace mc::maskctl {

// One setting at Twilio that differs from what the deployment needs, and the request that
// sets it.
struct WiringChange {
  std::string number;   // the pool number it is about ("" for the Conversations webhook)
  std::string setting;  // "VoiceUrl", "Conversations webhook Filters"
  std::string now;      // as Twilio has it ("" when unset)
  std::string wanted;
  twilio::TwilioRequest fix;

  // "+14155550100 VoiceUrl", "Conversations webhook Filters"
  std::string subject() const { return number.empty() ? setting : number + " " + setting; }
};

// A problem no request can fix (a pool number this account does not have).
struct WiringProblem {
  std::string subject;
  std::string detail;
};

struct WiringReport {
  std::vector<WiringChange> changes;
  std::vector<WiringProblem> problems;
  size_t numbers_checked = 0;
};

// Reads the account's numbers (every page), the Conversations webhook configuration and,
// when `messaging_service_sid` is set, that service's numbers, and compares them with what
// `public_base_url` needs for `pool`. Errors are Twilio's (unreachable, refused).
Result<WiringReport> compare_wiring(twilio::TwilioClient& twilio,
                                    const std::string& public_base_url,
                                    const std::vector<std::string>& pool,
                                    const std::string& messaging_service_sid);

// Every phone number of the account (IncomingPhoneNumbers), or of the Messaging Service;
// `on_page` is told how many were read so far, after each page.
Result<std::vector<std::string>> account_numbers(twilio::TwilioClient& twilio,
                                                 const std::string& messaging_service_sid,
                                                 const std::function<void(size_t)>& on_page);

}  // namespace mc::maskctl
