#include "sandbox.h"

#include <cstdio>

#include "core/log.h"
#include "core/response.h"
#include "core/time_format.h"
#include "twilio/opt_out_keywords.h"
#include "twiml_reader.h"

namespace mc::sandbox {
namespace {

const char* const kOptOutReply =
    "You have successfully been unsubscribed. You will not receive any more messages from "
    "this number. Reply START to resubscribe.";
const char* const kOptInReply =
    "You have successfully been re-subscribed to messages from this number. Reply HELP for "
    "help. Reply STOP to unsubscribe.";

}  // namespace

namespace {

constexpr size_t kMaxWebhookLog = 20000;

// Area codes for the default pool: a spread of US states and two Canadian provinces.
const std::vector<std::string> kAreaCodes = {
    "415", "212", "312", "206", "617", "303", "512", "213", "305", "404", "602", "702", "503",
    "801", "612", "314", "615", "704", "919", "202", "215", "412", "216", "313", "414", "317",
    "614", "513", "816", "504", "210", "713", "214", "916", "619", "808", "907", "505", "406",
    "307", "605", "701", "208", "775", "401", "603", "802", "207", "604", "416"};

std::string friendly(const std::string& number) {
  if (number.size() == 12 && number.rfind("+1", 0) == 0) {
    return "(" + number.substr(2, 3) + ") " + number.substr(5, 3) + "-" + number.substr(8);
  }
  return number;
}

// Messages as a transcript lists them; `counterpart` names the other end ("from" or "to").
Json::Value sms_list(const std::vector<PhoneLog::Sms>& messages, const std::string& counterpart) {
  Json::Value list(Json::arrayValue);
  for (const PhoneLog::Sms& sms : messages) {
    Json::Value item(Json::objectValue);
    item[counterpart] = counterpart == "from" ? sms.from : sms.to;
    item["body"] = sms.body;
    item["date"] = format_iso8601_millis(sms.date);
    list.append(item);
  }
  return list;
}

}  // namespace

std::vector<std::string> default_numbers(int count) {
  std::vector<std::string> numbers;
  for (int i = 0; i < count; ++i) {
    const size_t area = static_cast<size_t>(i) % kAreaCodes.size();
    const int line = 100 + (i / static_cast<int>(kAreaCodes.size())) % 100;
    const int exchange = 555 + i / static_cast<int>(kAreaCodes.size() * 100);
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "+1%s%03d%04d", kAreaCodes[area].c_str(), exchange, line);
    numbers.emplace_back(buffer);
  }
  return numbers;
}

Sandbox::Sandbox(SandboxOptions options, net::HttpClient& http)
    : options_(std::move(options)),
      http_(http),
      urls_{"http://" + options_.host + ":" + std::to_string(options_.port)},
      sids_(options_.seed),
      tasks_(options_.worker_threads, clock_),
      faults_(options_.seed),
      sender_(http_, options_.auth_token, sids_, options_.webhook_timeout),
      conversations_(state_, sids_, clock_),
      voice_(
          mutex_, state_, sids_, clock_, tasks_,
          [this](const WebhookRequest& request) { return deliver(request); }, urls_.api()) {
  initialise_state();
  for (const auto& [endpoint, rule] : options_.faults) faults_.set(endpoint, rule);
  timer_thread_ = std::thread([this] {
    while (!stopping_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      fire_timers();
    }
  });
}

Sandbox::~Sandbox() {
  stopping_ = true;
  timer_thread_.join();
}

void Sandbox::initialise_state() {
  std::lock_guard lock(mutex_);
  state_ = State{};
  state_.account_sid = options_.account_sid;
  // Deterministic per account, so a reset or restart keeps the SIDs clients have cached.
  const std::string suffix = options_.account_sid.substr(2);
  state_.chat_service_sid = "IS" + suffix;
  state_.messaging_service_sid = "MG" + suffix;
  const TimePoint now = clock_.now();
  for (size_t i = 0; i < options_.numbers.size(); ++i) {
    PhoneNumber number;
    char sid[40];
    std::snprintf(sid, sizeof sid, "PN%032zx", i + 1);
    number.sid = sid;
    number.phone_number = options_.numbers[i];
    number.friendly_name = friendly(number.phone_number);
    number.voice_url = options_.voice_url;
    number.sms_url = options_.sms_url;
    number.status_callback = options_.status_callback;
    number.date_created = number.date_updated = now;
    state_.numbers.push_back(number);
  }
  state_.index_numbers();
  state_.account_webhooks = options_.conversations_webhooks;
}

void Sandbox::reset() {
  tasks_.clear();
  tasks_.wait_idle(std::chrono::seconds(10));
  clock_.reset();
  faults_.clear();
  for (const auto& [endpoint, rule] : options_.faults) faults_.set(endpoint, rule);
  initialise_state();
}

WebhookResponse Sandbox::deliver(const WebhookRequest& request) {
  WebhookResponse response = sender_.send(request);
  std::lock_guard lock(mutex_);
  WebhookRecord record{request.kind, request.url, request.method, response.status, response.error,
                       clock_.now(), {}};
  for (const auto& [name, value] : request.params) record.params[name] = value;
  if (state_.webhook_log.size() >= kMaxWebhookLog) {
    state_.webhook_log.erase(state_.webhook_log.begin(),
                             state_.webhook_log.begin() + kMaxWebhookLog / 2);
  }
  state_.webhook_log.push_back(std::move(record));
  if (!response.ok()) {
    log::warn("webhook not accepted", {{"kind", request.kind},
                                       {"url", request.url},
                                       {"status", response.status},
                                       {"error", response.error}});
  }
  return response;
}

void Sandbox::deliver_later(Webhooks webhooks) {
  if (webhooks.empty()) return;
  tasks_.post("conversation-webhooks", [this, webhooks = std::move(webhooks)] {
    for (const WebhookRequest& request : webhooks) deliver(request);
  });
}

Result<std::string> Sandbox::send_message(const std::string& from, const std::string& to,
                                          const std::string& body,
                                          const std::string& status_callback) {
  if (to.empty()) return Status::invalid_argument("A 'To' phone number is required.", 21604);
  if (body.empty()) return Status::invalid_argument("Message body is required.", 21602);
  std::lock_guard lock(mutex_);
  if (!state_.find_number(from)) {
    return Status::invalid_argument("The From phone number " + from +
                                        " is not a valid, SMS-capable inbound phone number "
                                        "or short code for your account.",
                                    21606);
  }
  if (state_.opted_out.count({to, from})) {
    return Status::invalid_argument("Attempt to send to unsubscribed recipient", 21610);
  }
  state_.phones[to].received.push_back({from, to, body, clock_.now()});
  const std::string sid = sids_.next("SM");
  if (!status_callback.empty()) {
    Webhooks receipts;
    for (const char* status : {"sent", "delivered"}) {
      receipts.push_back({"message-status",
                          status_callback,
                          "POST",
                          {{"AccountSid", state_.account_sid},
                           {"ApiVersion", "2010-04-01"},
                           {"MessageSid", sid},
                           {"SmsSid", sid},
                           {"MessageStatus", status},
                           {"SmsStatus", status},
                           {"From", from},
                           {"To", to}}});
    }
    deliver_later(std::move(receipts));
  }
  return sid;
}

Result<Json::Value> Sandbox::send_sms(const std::string& from, const std::string& to,
                                      const std::string& body) {
  Json::Value result(Json::objectValue);
  Webhooks pre;
  std::string conversation_sid;
  WebhookRequest inbound;
  {
    std::lock_guard lock(mutex_);
    if (!state_.find_number(to)) {
      return Status::not_found(to + " is not a phone number of this sandbox", 20404);
    }
    state_.phones[from].sent.push_back({from, to, body, clock_.now()});
    // Twilio's own opt-out handling: it answers the keyword itself, and the message still
    // reaches the application.
    if (twilio::is_opt_out_keyword(body)) {
      state_.opted_out.insert({from, to});
      state_.phones[from].received.push_back({to, from, kOptOutReply, clock_.now()});
    } else if (twilio::is_opt_in_keyword(body)) {
      state_.opted_out.erase({from, to});
      state_.phones[from].received.push_back({to, from, kOptInReply, clock_.now()});
    }
    if (Conversation* c = conversations_.conversation_for_pair(from, to)) {
      conversation_sid = c->sid;
      pre = conversations_.message_add_webhooks(*c, from, body, "SMS");
    } else {
      const PhoneNumber& number = *state_.find_number(to);
      if (number.sms_url.empty()) {
        result["routed"] = "none";
        return result;
      }
      const std::string sid = sids_.next("SM");
      inbound = WebhookRequest{"sms",
                               number.sms_url,
                               number.sms_method,
                               {{"MessageSid", sid},
                                {"SmsSid", sid},
                                {"SmsMessageSid", sid},
                                {"AccountSid", state_.account_sid},
                                {"MessagingServiceSid", state_.messaging_service_sid},
                                {"From", from},
                                {"To", to},
                                {"Body", body},
                                {"NumMedia", "0"},
                                {"NumSegments", "1"},
                                {"SmsStatus", "received"},
                                {"ApiVersion", "2010-04-01"}}};
    }
  }
  if (conversation_sid.empty()) {
    const WebhookResponse response = deliver(inbound);
    result["routed"] = "sms_url";
    result["status"] = response.status;
    if (response.ok()) {
      auto verbs = read_twiml(response.body);
      std::lock_guard lock(mutex_);
      for (const TwimlNode& verb : verbs ? *verbs : std::vector<TwimlNode>{}) {
        if (verb.name == "Message")
          state_.phones[from].received.push_back({to, from, verb.text, clock_.now()});
      }
    }
    return result;
  }
  result["routed"] = "conversation";
  result["conversation_sid"] = conversation_sid;
  std::string final_body = body, author = from, attributes = "{}";
  for (const WebhookRequest& request : pre) {
    const WebhookResponse response = deliver(request);
    if (response.status == 0 && options_.pre_webhook_failure == "allow") continue;
    if (!response.ok()) {
      result["blocked"] = true;
      result["pre_event_status"] = response.status;
      return result;
    }
    Json::Value changes;
    std::string error;
    if (!response.body.empty() && parse_json_text(response.body, &changes, &error) &&
        changes.isObject()) {
      if (changes["body"].isString()) final_body = changes["body"].asString();
      if (changes["author"].isString()) author = changes["author"].asString();
      if (changes["attributes"].isString()) attributes = changes["attributes"].asString();
    }
  }
  Webhooks post;
  {
    std::lock_guard lock(mutex_);
    Conversation* c = state_.find_conversation(conversation_sid);
    if (!c || c->state == "closed") {
      result["routed"] = "none";
      return result;
    }
    auto message =
        conversations_.add_message(*c, author, final_body, attributes, "SMS", true, post);
    if (!message) return message.status();
    result["message_sid"] = (*message)->sid;
  }
  result["blocked"] = false;
  for (const WebhookRequest& request : post) deliver(request);
  return result;
}

void Sandbox::fire_timers() {
  Webhooks out;
  {
    std::lock_guard lock(mutex_);
    auto next = conversations_.next_timer();
    if (!next || *next > clock_.now()) return;
    conversations_.fire_due_timers(clock_.now(), out);
  }
  deliver_later(std::move(out));
}

bool Sandbox::advance_clock(std::chrono::milliseconds by, std::chrono::milliseconds wait) {
  clock_.advance(by);
  fire_timers();
  tasks_.run_due();
  return tasks_.wait_idle(wait);
}

Json::Value Sandbox::transcript_locked(const std::string& phone, const PhoneLog& log) {
  Json::Value out(Json::objectValue);
  out["phone"] = phone;
  out["messages_received"] = sms_list(log.received, "from");
  out["messages_sent"] = sms_list(log.sent, "to");
  Json::Value& calls = out["calls"] = Json::Value(Json::arrayValue);
  for (const std::string& sid : log.call_sids) {
    const Call* call = state_.find_call(sid);
    if (!call) continue;
    Json::Value item(Json::objectValue);
    const bool dialled_out = call->direction == "inbound";
    item["call_sid"] = call->sid;
    item["direction"] = dialled_out ? "outgoing" : "incoming";
    item["from"] = call->from;  // for an incoming call: the caller id this phone saw
    item["to"] = call->to;
    item["status"] = std::string(call_status_name(call->status));
    item["answered_by"] = call->answered_by;
    item["conference"] = call->conference;
    calls.append(item);
  }
  Json::Value& announcements = out["announcements"] = Json::Value(Json::arrayValue);
  for (const PhoneLog::Announcement& a : log.announcements) {
    Json::Value item(Json::objectValue);
    item["call_sid"] = a.call_sid;
    item["text"] = a.text;
    item["voice"] = a.voice;
    item["language"] = a.language;
    announcements.append(item);
  }
  Json::Value& conferences = out["conferences"] = Json::Value(Json::arrayValue);
  for (const PhoneLog::ConferenceJoin& join : log.conferences) {
    Json::Value item(Json::objectValue);
    item["call_sid"] = join.call_sid;
    item["name"] = join.name;
    conferences.append(item);
  }
  Json::Value& keys = out["keys_pressed"] = Json::Value(Json::arrayValue);
  for (const PhoneLog::KeysPressed& k : log.keys_pressed) {
    Json::Value item(Json::objectValue);
    item["call_sid"] = k.call_sid;
    item["digits"] = k.digits;
    keys.append(item);
  }
  Json::Value& recordings = out["recordings"] = Json::Value(Json::arrayValue);
  for (const PhoneLog::Recording& r : log.recordings) {
    Json::Value item(Json::objectValue);
    item["call_sid"] = r.call_sid;
    item["recording_sid"] = r.recording_sid;
    item["seconds"] = r.seconds;
    recordings.append(item);
  }
  return out;
}

Json::Value Sandbox::transcript(const std::string& phone) {
  std::lock_guard lock(mutex_);
  auto it = state_.phones.find(phone);
  return transcript_locked(phone, it == state_.phones.end() ? PhoneLog{} : it->second);
}

Json::Value Sandbox::transcripts() {
  std::lock_guard lock(mutex_);
  Json::Value out(Json::objectValue);
  for (const auto& [phone, log] : state_.phones) out[phone] = transcript_locked(phone, log);
  return out;
}

}  // namespace mc::sandbox
