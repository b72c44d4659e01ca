// Internal to the hotline module: texts to a hotline's number (Programmable Messaging: the
// number's SmsUrl, /inbound-sms, and Messages.json back, all From the hotline's number, so
// neither side ever sees the other's). A texter's text goes into their thread, labelled
// ("#2Z"), to every available member until one replies; the first reply claims it (one
// conditional UPDATE), goes to the texter, and the others are told "taken by <name>". Later
// texts go to the claimer only. A member with several threads starts a reply with a label
// to pick one; without one it goes to their most recently active thread, and they are told
// which when that was a choice.
#pragma once

#include <optional>

#include "core/clock.h"
#include "core/request.h"
#include "core/response.h"
#include "hotline/hotline_directory.h"
#include "hotline/thread_ledger.h"
#include "modules/hotline/hotline_config.h"
#include "sessions/outbox.h"

namespace mc::modules::hotline {

class HotlineTexts {
 public:
  // `public_base_url`: where Twilio reports the delivery of replies sent on to texters.
  HotlineTexts(mc::hotline::HotlineDirectory& directory, mc::hotline::ThreadLedger& threads,
               sessions::Outbox& outbox, Clock& clock, HotlineConfig config,
               std::string public_base_url)
      : directory_(directory),
        threads_(threads),
        outbox_(outbox),
        clock_(clock),
        config_(config),
        base_url_(std::move(public_base_url)) {}

  // The unmatched_text hook: a text to a hotline's number (answered with empty TwiML; what
  // it causes goes through the outbox); nullopt for any other number, or a hotline that
  // does not take texts.
  std::optional<Response> inbound(const Request& request);
  // POST /hotline/text-status?message=N: Twilio's status for a reply sent on to a texter.
  Response delivery(const Request& request);

 private:
  Response from_texter(const mc::hotline::HotlineRecord& hotline, const std::string& texter,
                       const std::string& body);
  Response from_member(const mc::hotline::HotlineRecord& hotline, const std::string& member,
                       const std::string& body);

  mc::hotline::HotlineDirectory& directory_;
  mc::hotline::ThreadLedger& threads_;
  sessions::Outbox& outbox_;
  Clock& clock_;
  const HotlineConfig config_;
  const std::string base_url_;
};

}  // namespace mc::modules::hotline
