#include "twilio_wiring.h"

#include <map>
#include <set>

#include "twilio/account_lists.h"

namespace mc::maskctl {
namespace {

// The Conversations events the worker acts on (conversations_module.cpp): the post-event
// ones (onDeliveryUpdated: receipts for the message log), and onMessageAdd for the
// pre-event webhook (content rules, opt-outs).
const std::vector<std::string> kFilters = {"onConversationStateUpdated",
                                           "onConversationUpdated",
                                           "onConversationRemoved",
                                           "onMessageAdded",
                                           "onMessageAdd",
                                           "onDeliveryUpdated"};

struct AccountNumber {
  std::string sid;
  std::string phone_number;
  std::string voice_url, voice_method, sms_url, status_callback, status_callback_method;
};

std::string text_of(const Json::Value& value, const char* name) {
  const Json::Value& field = value[name];
  return field.isString() ? field.asString() : "";
}

std::string account_path(const twilio::TwilioClient& twilio, const std::string& rest) {
  return "/2010-04-01/Accounts/" + twilio.config().account_sid + rest;
}

Result<std::map<std::string, AccountNumber>> incoming_numbers(
    twilio::TwilioClient& twilio, const std::function<void(size_t)>& on_page = {}) {
  std::map<std::string, AccountNumber> numbers;
  Status s = for_each_record(
      twilio, "incoming_phone_numbers.list", "api",
      account_path(twilio, "/IncomingPhoneNumbers.json?PageSize=1000"), "incoming_phone_numbers",
      [&](const Json::Value& record) {
        AccountNumber n;
        n.sid = text_of(record, "sid");
        n.phone_number = text_of(record, "phone_number");
        n.voice_url = text_of(record, "voice_url");
        n.voice_method = text_of(record, "voice_method");
        n.sms_url = text_of(record, "sms_url");
        n.status_callback = text_of(record, "status_callback");
        n.status_callback_method = text_of(record, "status_callback_method");
        numbers[n.phone_number] = n;
      },
      on_page);
  if (!s) return s;
  return numbers;
}

using twilio::for_each_record;
using twilio::messaging_service_numbers;

// A setting compared: a change when `now` is not `wanted`.
void compare(std::vector<WiringChange>& changes, const std::string& number,
             const std::string& setting, const std::string& now, const std::string& wanted,
             const twilio::TwilioRequest& fix) {
  if (now == wanted) return;
  changes.push_back({number, setting, now, wanted, fix});
}

twilio::TwilioRequest number_update(const twilio::TwilioClient& twilio, const AccountNumber& n,
                                    Params form) {
  twilio::TwilioRequest request;
  request.endpoint = "incoming_phone_numbers.update";
  request.product = "api";
  request.method = "POST";
  request.path = account_path(twilio, "/IncomingPhoneNumbers/" + n.sid + ".json");
  request.form = std::move(form);
  return request;
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

}  // namespace

Result<WiringReport> compare_wiring(twilio::TwilioClient& twilio,
                                    const std::string& public_base_url,
                                    const std::vector<std::string>& pool,
                                    const std::string& messaging_service_sid) {
  WiringReport report;
  auto numbers = incoming_numbers(twilio);
  if (!numbers) return numbers.status();
  const std::string voice_url = public_base_url + "/inbound-call";
  const std::string status_callback = public_base_url + "/call-status";
  const std::string sms_url = public_base_url + "/inbound-sms";
  for (const std::string& number : pool) {
    auto found = numbers->find(number);
    if (found == numbers->end()) {
      report.problems.push_back({number,
                                 "is in the pool but not a number of this Twilio account "
                                 "(retire it: maskctl pool retire " +
                                     number + ")"});
      continue;
    }
    const AccountNumber& n = found->second;
    ++report.numbers_checked;
    compare(report.changes, number, "VoiceUrl", n.voice_url, voice_url,
            number_update(twilio, n, {{"VoiceUrl", voice_url}, {"VoiceMethod", "POST"}}));
    if (n.voice_url == voice_url) {
      compare(report.changes, number, "VoiceMethod", n.voice_method, "POST",
              number_update(twilio, n, {{"VoiceMethod", "POST"}}));
    }
    // Texts inside a session go through Conversations; the others (strangers, START after a
    // session ended) reach /inbound-sms, which answers them (OUT_OF_SESSION_MESSAGE_FOR_SMS)
    // and never relays them.
    compare(report.changes, number, "SmsUrl", n.sms_url, sms_url,
            number_update(twilio, n, {{"SmsUrl", sms_url}, {"SmsMethod", "POST"}}));
    compare(report.changes, number, "StatusCallback", n.status_callback, status_callback,
            number_update(twilio, n,
                          {{"StatusCallback", status_callback}, {"StatusCallbackMethod", "POST"}}));
  }

  twilio::TwilioRequest fetch;
  fetch.endpoint = "webhooks.fetch";
  fetch.product = "conversations";
  fetch.path = "/v1/Configuration/Webhooks";
  auto webhooks = twilio.send(fetch);
  if (!webhooks) return webhooks.status();
  const std::string post_url = public_base_url + "/conversations-post-event";
  const std::string pre_url = public_base_url + "/conversations-pre-event";
  std::set<std::string> filters;
  for (const Json::Value& filter : (*webhooks)["filters"]) filters.insert(filter.asString());
  std::vector<std::string> missing;
  for (const std::string& filter : kFilters) {
    if (!filters.count(filter)) missing.push_back(filter);
  }
  twilio::TwilioRequest update;
  update.endpoint = "webhooks.update";
  update.product = "conversations";
  update.method = "POST";
  update.path = "/v1/Configuration/Webhooks";
  update.form = {{"PostWebhookUrl", post_url},
                 {"PreWebhookUrl", pre_url},
                 {"Method", "POST"},
                 {"Target", "webhook"}};
  for (const std::string& filter : filters) update.form.emplace_back("Filters", filter);
  for (const std::string& filter : missing) update.form.emplace_back("Filters", filter);
  compare(report.changes, "", "Conversations webhook PostWebhookUrl",
          text_of(*webhooks, "post_webhook_url"), post_url, update);
  compare(report.changes, "", "Conversations webhook PreWebhookUrl",
          text_of(*webhooks, "pre_webhook_url"), pre_url, update);
  if (!missing.empty()) {
    report.changes.push_back({"", "Conversations webhook Filters",
                              joined({filters.begin(), filters.end()}), "also " + joined(missing),
                              update});
  }
  compare(report.changes, "", "Conversations webhook Method", text_of(*webhooks, "method"), "POST",
          update);
  compare(report.changes, "", "Conversations webhook Target", text_of(*webhooks, "target"),
          "webhook", update);

  if (!messaging_service_sid.empty()) {
    auto members = messaging_service_numbers(twilio, messaging_service_sid);
    if (!members) return members.status();
    for (const std::string& number : pool) {
      auto account = numbers->find(number);
      if (account == numbers->end() || members->count(number)) continue;
      twilio::TwilioRequest add;
      add.endpoint = "messaging_phone_numbers.create";
      add.product = "messaging";
      add.method = "POST";
      add.path = "/v1/Services/" + messaging_service_sid + "/PhoneNumbers";
      add.form = {{"PhoneNumberSid", account->second.sid}};
      add.idempotent = false;
      const std::string setting = "Messaging Service " + messaging_service_sid;
      report.changes.push_back({number, setting, "not a member", "a member", add});
    }
  }
  return report;
}

Result<std::vector<std::string>> account_numbers(twilio::TwilioClient& twilio,
                                                 const std::string& messaging_service_sid,
                                                 const std::function<void(size_t)>& on_page) {
  std::vector<std::string> out;
  if (!messaging_service_sid.empty()) {
    auto members = messaging_service_numbers(twilio, messaging_service_sid, on_page);
    if (!members) return members.status();
    for (const auto& [number, sid] : *members) out.push_back(number);
    return out;
  }
  auto numbers = incoming_numbers(twilio, on_page);
  if (!numbers) return numbers.status();
  for (const auto& [number, n] : *numbers) out.push_back(number);
  return out;
}

}  // namespace mc::maskctl
