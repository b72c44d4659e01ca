// Internal to the hotline module: the hotlines' REST API (behind nginx basic auth; JSON;
// errors in Twilio's shape as /sessions answers them, 400 with code 20400 for bad input):
//
//   POST   /hotlines                          create: 201 with the hotline
//   GET    /hotlines                          {"hotlines": [...]}
//   GET    /hotlines/{id}
//   POST   /hotlines/{id}                     update name and settings (fields given only)
//   DELETE /hotlines/{id}                     204; the number returns to the pool
//   POST   /hotlines/{id}/members             add {"address", "name", "paused"}: 201
//   POST   /hotlines/{id}/members/{address}   update a member's name or paused
//   DELETE /hotlines/{id}/members/{address}   204
//   GET    /hotlines/{id}/calls               the call log, newest first
//   GET    /hotlines/{id}/threads             the text threads with their messages
#pragma once

#include "core/clock.h"
#include "core/request.h"
#include "core/response.h"
#include "core/router.h"
#include "hotline/call_ledger.h"
#include "hotline/hotline_directory.h"
#include "hotline/thread_ledger.h"
#include "pool/geography.h"

namespace mc::modules::hotline {

class HotlineApi {
 public:
  HotlineApi(mc::hotline::HotlineDirectory& directory, mc::hotline::CallLedger& calls,
             mc::hotline::ThreadLedger& threads, const pool::Geography& geography, Clock& clock)
      : directory_(directory),
        calls_(calls),
        threads_(threads),
        geography_(geography),
        clock_(clock) {}

  void routes(Router& router);

 private:
  Response create(const Request& request);
  Response update(const Request& request);
  Response add_member(const Request& request);
  Response update_member(const Request& request);
  Response remove_member(const Request& request);
  Response fetch(const std::string& id);
  Response list();
  Response remove(const std::string& id);
  Response calls(const std::string& id);
  Response threads(const std::string& id);

  mc::hotline::HotlineDirectory& directory_;
  mc::hotline::CallLedger& calls_;
  mc::hotline::ThreadLedger& threads_;
  const pool::Geography& geography_;
  Clock& clock_;
};

}  // namespace mc::modules::hotline
