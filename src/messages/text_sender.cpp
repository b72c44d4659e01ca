#include "messages/text_sender.h"

#include "core/json_values.h"
#include "core/log.h"
#include "core/response.h"
#include "sessions/outbox.h"
#include "twilio/client.h"

namespace mc::messages {

std::string send_sms_payload(const std::string& from, const std::string& to,
                             const std::string& body, const std::string& status_callback) {
  Json::Value payload(Json::objectValue);
  payload["from"] = from;
  payload["to"] = to;
  payload["body"] = body;
  if (!status_callback.empty()) payload["statusCallback"] = status_callback;
  return to_json_text(payload);
}

void register_send_sms(sessions::Outbox& outbox, twilio::TwilioClient& twilio) {
  outbox.handle(kSendSms, [&twilio](const Json::Value& payload) -> Status {
    Params params = {{"From", payload["from"].asString()},
                     {"To", payload["to"].asString()},
                     {"Body", payload["body"].asString()}};
    if (payload.isMember("statusCallback")) {
      params.emplace_back("StatusCallback", payload["statusCallback"].asString());
    }
    auto sent = twilio.send_message(params);
    // Retrying these would never succeed.
    const int code = sent ? 0 : sent.status().api_code();
    if (code == 21610 || code == 21211 || code == 21614) {
      log::warn("text not sent",
                {{"to", payload["to"].asString()}, {"error", sent.status().message()}});
      return Status::ok();
    }
    return sent.status();
  });
}

}  // namespace mc::messages
