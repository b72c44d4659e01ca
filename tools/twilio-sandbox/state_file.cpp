// The sandbox's state file (--state-file): what a restart keeps (numbers and their URLs,
// conversations, the Messaging Service's members), written by save() and read by load().
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json_values.h"
#include "core/response.h"
#include "core/time_format.h"
#include "sandbox.h"

namespace mc::sandbox {
namespace {

std::optional<TimePoint> time_from(const Json::Value& value) {
  if (!value.isString()) return std::nullopt;
  return parse_iso8601(value.asString());
}

}  // namespace

Status Sandbox::save(const std::string& path) {
  Json::Value root(Json::objectValue);
  {
    std::lock_guard lock(mutex_);
    root["version"] = 1;
    root["account_sid"] = state_.account_sid;
    Json::Value& numbers = root["numbers"] = Json::Value(Json::arrayValue);
    for (const PhoneNumber& n : state_.numbers) {
      Json::Value item(Json::objectValue);
      item["phone_number"] = n.phone_number;
      item["voice_url"] = n.voice_url;
      item["voice_method"] = n.voice_method;
      item["sms_url"] = n.sms_url;
      item["sms_method"] = n.sms_method;
      item["status_callback"] = n.status_callback;
      item["in_messaging_service"] = n.in_messaging_service;
      numbers.append(item);
    }
    for (const auto& [key, config] : {std::pair{"account_webhooks", &state_.account_webhooks},
                                      std::pair{"service_webhooks", &state_.service_webhooks}}) {
      Json::Value& item = root[key];
      item["method"] = config->method;
      item["pre_webhook_url"] = config->pre_webhook_url;
      item["post_webhook_url"] = config->post_webhook_url;
      item["filters"] = Json::Value(Json::arrayValue);
      for (const std::string& filter : config->filters) item["filters"].append(filter);
    }
    Json::Value& conversations = root["conversations"] = Json::Value(Json::arrayValue);
    for (const auto& [sequence, c] : state_.conversations) {
      Json::Value item(Json::objectValue);
      item["sid"] = c.sid;
      if (c.unique_name) item["unique_name"] = *c.unique_name;
      if (c.friendly_name) item["friendly_name"] = *c.friendly_name;
      item["attributes"] = c.attributes;
      item["messaging_service_sid"] = c.messaging_service_sid;
      item["state"] = c.state;
      item["date_created"] = format_iso8601_millis(c.date_created);
      item["date_updated"] = format_iso8601_millis(c.date_updated);
      if (c.timer_inactive)
        item["timer_inactive"] = static_cast<Json::Int64>(c.timer_inactive->count());
      if (c.timer_closed) item["timer_closed"] = static_cast<Json::Int64>(c.timer_closed->count());
      item["date_inactive"] = optional_iso_time(c.date_inactive);
      item["date_closed"] = optional_iso_time(c.date_closed);
      for (const Participant& p : c.participants) {
        Json::Value participant(Json::objectValue);
        participant["sid"] = p.sid;
        if (p.identity) participant["identity"] = *p.identity;
        if (p.binding) {
          participant["address"] = p.binding->address;
          participant["proxy_address"] = p.binding->proxy_address;
          participant["type"] = p.binding->type;
        }
        participant["attributes"] = p.attributes;
        participant["date_created"] = format_iso8601_millis(p.date_created);
        item["participants"].append(participant);
      }
      for (const Message& m : c.messages) {
        Json::Value message(Json::objectValue);
        message["sid"] = m.sid;
        message["index"] = static_cast<Json::Int64>(m.index);
        message["author"] = m.author;
        message["body"] = m.body;
        message["attributes"] = m.attributes;
        message["participant_sid"] = m.participant_sid;
        message["date_created"] = format_iso8601_millis(m.date_created);
        item["messages"].append(message);
      }
      conversations.append(item);
    }
    Json::Value& phones = root["phones"] = Json::Value(Json::objectValue);
    for (const auto& [phone, log] : state_.phones) {
      Json::Value& item = phones[phone];
      item["received"] = Json::Value(Json::arrayValue);
      for (const PhoneLog::Sms& sms : log.received) {
        Json::Value entry(Json::objectValue);
        entry["from"] = sms.from;
        entry["body"] = sms.body;
        entry["date"] = format_iso8601_millis(sms.date);
        item["received"].append(entry);
      }
    }
  }
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << to_json_text(root);
    if (!out) return Status::unavailable("cannot write " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return Status::unavailable("cannot rename " + temporary + ": " + error.message());
  return Status::ok();
}

Status Sandbox::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::not_found("no state file at " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json::Value root;
  std::string error;
  if (!parse_json_text(buffer.str(), &root, &error) || root["version"].asInt() != 1) {
    return Status::invalid_argument("state file " + path + " is not a sandbox state: " + error);
  }
  std::lock_guard lock(mutex_);
  for (const Json::Value& item : root["numbers"]) {
    if (PhoneNumber* n = state_.find_number(item["phone_number"].asString())) {
      n->voice_url = item["voice_url"].asString();
      n->voice_method = item["voice_method"].asString();
      n->sms_url = item["sms_url"].asString();
      n->sms_method = item["sms_method"].asString();
      n->status_callback = item["status_callback"].asString();
      // States saved before membership was kept have every number in the service.
      n->in_messaging_service = item.get("in_messaging_service", true).asBool();
    }
  }
  for (const auto& [key, config] : {std::pair{"account_webhooks", &state_.account_webhooks},
                                    std::pair{"service_webhooks", &state_.service_webhooks}}) {
    const Json::Value& item = root[key];
    config->method = item["method"].asString().empty() ? "POST" : item["method"].asString();
    config->pre_webhook_url = item["pre_webhook_url"].asString();
    config->post_webhook_url = item["post_webhook_url"].asString();
    config->filters.clear();
    for (const Json::Value& filter : item["filters"]) config->filters.push_back(filter.asString());
  }
  for (const Json::Value& item : root["conversations"]) {
    Conversation c;
    c.sid = item["sid"].asString();
    if (item.isMember("unique_name")) c.unique_name = item["unique_name"].asString();
    if (item.isMember("friendly_name")) c.friendly_name = item["friendly_name"].asString();
    c.attributes = item["attributes"].asString();
    c.messaging_service_sid = item["messaging_service_sid"].asString();
    c.chat_service_sid = state_.chat_service_sid;
    c.state = item["state"].asString();
    c.date_created = time_from(item["date_created"]).value_or(clock_.now());
    c.date_updated = time_from(item["date_updated"]).value_or(c.date_created);
    if (item.isMember("timer_inactive"))
      c.timer_inactive = std::chrono::seconds(item["timer_inactive"].asInt64());
    if (item.isMember("timer_closed"))
      c.timer_closed = std::chrono::seconds(item["timer_closed"].asInt64());
    c.date_inactive = time_from(item["date_inactive"]);
    c.date_closed = time_from(item["date_closed"]);
    for (const Json::Value& p : item["participants"]) {
      Participant participant;
      participant.sid = p["sid"].asString();
      if (p.isMember("identity")) participant.identity = p["identity"].asString();
      if (p.isMember("address")) {
        participant.binding = Binding{p["type"].asString(), p["address"].asString(),
                                      p["proxy_address"].asString(), ""};
      }
      participant.attributes = p["attributes"].asString();
      participant.date_created = participant.date_updated =
          time_from(p["date_created"]).value_or(c.date_created);
      c.participants.push_back(participant);
    }
    for (const Json::Value& m : item["messages"]) {
      c.messages.push_back(Message{m["sid"].asString(), m["index"].asInt64(),
                                   m["author"].asString(), m["body"].asString(),
                                   m["attributes"].asString(), m["participant_sid"].asString(),
                                   time_from(m["date_created"]).value_or(c.date_created)});
    }
    conversations_.restore(std::move(c));
  }
  for (const std::string& phone : root["phones"].getMemberNames()) {
    for (const Json::Value& sms : root["phones"][phone]["received"]) {
      state_.phones[phone].received.push_back({sms["from"].asString(), phone,
                                               sms["body"].asString(),
                                               time_from(sms["date"]).value_or(clock_.now())});
    }
  }
  return Status::ok();
}

}  // namespace mc::sandbox
