#include "calls/leg_dialer.h"

#include <algorithm>
#include <future>
#include <mutex>

#include "core/log.h"
#include "core/response.h"

namespace mc::calls {

LegCreator::LegCreator(twilio::TwilioClient& twilio, std::string status_callback,
                       size_t concurrency)
    : twilio_(twilio),
      status_callback_(std::move(status_callback)),
      concurrency_(std::max<size_t>(1, concurrency)) {}

LegDialer::LegDialer(twilio::TwilioClient& twilio, store::Store& store, CallLog& log, Clock& clock,
                     std::string status_callback, size_t concurrency)
    : twilio_(twilio),
      store_(store),
      log_(log),
      clock_(clock),
      creator_(twilio, std::move(status_callback), concurrency) {}

std::string cancel_call_payload(const std::string& call_sid) {
  Json::Value payload(Json::objectValue);
  payload["call"] = call_sid;
  return to_json_text(payload);
}

std::string redirect_call_payload(const std::string& call_sid, const std::string& twiml) {
  Json::Value payload(Json::objectValue);
  payload["call"] = call_sid;
  payload["twiml"] = twiml;
  return to_json_text(payload);
}

void LegDialer::register_cancel(sessions::Outbox& outbox, twilio::TwilioClient& twilio) {
  outbox.handle(kCancelCall, [&twilio](const Json::Value& payload) {
    return twilio.update_call(payload["call"].asString(), {{"Status", "canceled"}});
  });
  outbox.handle(kRedirectCall, [&twilio](const Json::Value& payload) {
    return twilio.update_call(payload["call"].asString(), {{"Twiml", payload["twiml"].asString()}});
  });
}

size_t LegDialer::ring(const store::CallRecord& caller, const std::vector<Leg>& legs) {
  const size_t rung = creator_.create(
      legs, [&](const Leg& leg, const std::string& call_sid, const std::string& status) {
        store::CallRecord record;
        record.call_sid = call_sid;
        record.session_id = caller.session_id;
        record.parent_call_sid = caller.call_sid;
        record.direction = "outbound";
        record.from_address = leg.proxy_number;
        record.to_address = leg.address;
        record.conference = caller.conference;
        record.status = status;
        record.created_at = record.updated_at = clock_.now();
        if (!log_.record_leg(record)) {
          log::warn("call log full; leg not recorded", {{"call", record.call_sid}});
        }
      });
  // The caller may have hung up while the legs were being created: once what was queued
  // (the legs, the caller's status) is written, the ledger says so.
  log_.flush();
  auto now = store_.call(caller.call_sid);
  if (now && *now && store::is_final_call_status((*now)->status)) {
    log_.cancel_ringing_legs(caller.call_sid);
  }
  return rung;
}

size_t LegCreator::create(const std::vector<Leg>& legs, const Created& created) {
  std::mutex mutex;
  size_t next = 0, rung = 0;
  auto worker = [&] {
    while (true) {
      Leg leg;
      {
        std::lock_guard lock(mutex);
        if (next >= legs.size()) return;
        leg = legs[next++];
      }
      Params params = {{"To", leg.address}, {"From", leg.proxy_number}};
      if (!status_callback_.empty()) {
        params.insert(params.end(), {{"StatusCallback", status_callback_},
                                     {"StatusCallbackEvent", "initiated"},
                                     {"StatusCallbackEvent", "ringing"},
                                     {"StatusCallbackEvent", "answered"},
                                     {"StatusCallbackEvent", "completed"}});
      }
      params.insert(params.end(), leg.extra.begin(), leg.extra.end());
      auto call = twilio_.create_call(params);
      if (!call) {
        log::warn("could not ring a leg",
                  {{"to", leg.address}, {"error", call.status().message()}});
        continue;
      }
      const std::string status = (*call)["status"].asString();
      created(leg, (*call)["sid"].asString(), status.empty() ? "queued" : status);
      std::lock_guard lock(mutex);
      ++rung;
    }
  };
  const size_t threads = std::min(legs.size(), concurrency_);
  std::vector<std::future<void>> running;
  for (size_t i = 0; i < threads; ++i) running.push_back(std::async(std::launch::async, worker));
  for (auto& thread : running) thread.get();
  return rung;
}

void LegDialer::redirect_caller(const std::string& call_sid, const std::string& twiml) {
  Status updated = twilio_.update_call(call_sid, {{"Twiml", twiml}});
  if (!updated) {
    log::warn("could not update the caller's call",
              {{"call", call_sid}, {"error", updated.message()}});
  }
}

}  // namespace mc::calls
