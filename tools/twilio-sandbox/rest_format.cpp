#include "rest_format.h"

#include <charconv>

#include "core/json_values.h"
#include "core/time_format.h"

namespace mc::sandbox {
namespace {

bool parse_size(const std::string& text, size_t* value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string with_query(const std::string& url, const Params& filters, size_t page_size, size_t page,
                       const std::string& token) {
  Params query = filters;
  query.emplace_back("PageSize", std::to_string(page_size));
  query.emplace_back("Page", std::to_string(page));
  if (!token.empty()) query.emplace_back("PageToken", token);
  return url + "?" + encode_form(query);
}

std::string page_token(size_t offset) { return "PT" + std::to_string(offset); }

Json::Value timers_json(const Conversation& conversation) {
  Json::Value timers(Json::objectValue);
  if (conversation.date_inactive)
    timers["date_inactive"] = format_iso8601(*conversation.date_inactive);
  if (conversation.date_closed) timers["date_closed"] = format_iso8601(*conversation.date_closed);
  return timers;
}

Json::Value binding_json(const Binding& binding) {
  Json::Value out(Json::objectValue);
  out["type"] = binding.type;
  if (!binding.address.empty()) out["address"] = binding.address;
  if (!binding.proxy_address.empty()) out["proxy_address"] = binding.proxy_address;
  if (!binding.projected_address.empty()) out["projected_address"] = binding.projected_address;
  return out;
}

}  // namespace

Json::Value error_body(int http_status, int code, const std::string& message) {
  Json::Value body(Json::objectValue);
  body["code"] = code;
  body["message"] = message;
  body["more_info"] = "https://www.twilio.com/docs/errors/" + std::to_string(code);
  body["status"] = http_status;
  return body;
}

Json::Value error_body(const Status& status) {
  return error_body(status.http_status(), status.api_code() != 0 ? status.api_code() : 20001,
                    status.message());
}

Result<PageRequest> read_page_request(const Params& query, size_t max_page_size) {
  PageRequest request;
  if (const std::string* size = find_param(query, "PageSize")) {
    if (!parse_size(*size, &request.page_size) || request.page_size == 0) {
      return Status::invalid_argument("PageSize must be a positive integer", 20001);
    }
    request.page_size = std::min(request.page_size, max_page_size);
  }
  if (const std::string* page = find_param(query, "Page")) {
    if (!parse_size(*page, &request.page)) {
      return Status::invalid_argument("Page must be a non-negative integer", 20001);
    }
  }
  request.offset = request.page * request.page_size;
  if (const std::string* token = find_param(query, "PageToken")) {
    size_t offset = 0;
    if (token->size() < 3 || token->substr(0, 2) != "PT" ||
        !parse_size(token->substr(2), &offset)) {
      return Status::invalid_argument("Invalid PageToken", 20001);
    }
    request.offset = offset;
  }
  return request;
}

namespace {

// Puts the records `page` selects under body[key]; returns the index after the last one.
size_t put_page_records(Json::Value& body, const std::string& key,
                        const std::vector<Json::Value>& all_records, const PageRequest& page) {
  Json::Value& records = body[key] = Json::Value(Json::arrayValue);
  const size_t end = std::min(all_records.size(), page.offset + page.page_size);
  for (size_t i = page.offset; i < end; ++i) records.append(all_records[i]);
  return end;
}

}  // namespace

Json::Value page_v1(const std::vector<Json::Value>& all_records, const std::string& key,
                    const std::string& list_url, const Params& filters, const PageRequest& page) {
  Json::Value body(Json::objectValue);
  const size_t end = put_page_records(body, key, all_records, page);
  Json::Value& meta = body["meta"];
  meta["page"] = static_cast<Json::UInt64>(page.page);
  meta["page_size"] = static_cast<Json::UInt64>(page.page_size);
  meta["first_page_url"] = with_query(list_url, filters, page.page_size, 0, "");
  meta["url"] = with_query(list_url, filters, page.page_size, page.page,
                           page.offset == 0 ? "" : page_token(page.offset));
  meta["previous_page_url"] =
      page.offset == 0
          ? Json::Value(Json::nullValue)
          : Json::Value(with_query(
                list_url, filters, page.page_size, page.page == 0 ? 0 : page.page - 1,
                page_token(page.offset > page.page_size ? page.offset - page.page_size : 0)));
  meta["next_page_url"] = end < all_records.size()
                              ? Json::Value(with_query(list_url, filters, page.page_size,
                                                       page.page + 1, page_token(end)))
                              : Json::Value(Json::nullValue);
  meta["key"] = key;
  return body;
}

Json::Value page_2010(const std::vector<Json::Value>& all_records, const std::string& key,
                      const std::string& list_uri, const Params& filters, const PageRequest& page) {
  Json::Value body(Json::objectValue);
  const size_t end = put_page_records(body, key, all_records, page);
  body["page"] = static_cast<Json::UInt64>(page.page);
  body["page_size"] = static_cast<Json::UInt64>(page.page_size);
  body["start"] = static_cast<Json::UInt64>(page.offset);
  body["end"] = static_cast<Json::UInt64>(end == 0 ? 0 : end - 1);
  body["uri"] = with_query(list_uri, filters, page.page_size, page.page,
                           page.offset == 0 ? "" : page_token(page.offset));
  body["first_page_uri"] = with_query(list_uri, filters, page.page_size, 0, "");
  body["next_page_uri"] = end < all_records.size()
                              ? Json::Value(with_query(list_uri, filters, page.page_size,
                                                       page.page + 1, page_token(end)))
                              : Json::Value(Json::nullValue);
  body["previous_page_uri"] = Json::Value(Json::nullValue);
  return body;
}

Json::Value conversation_json(const State& state, const Conversation& c, const Urls& urls) {
  Json::Value out(Json::objectValue);
  const std::string url = urls.conversations() + "/Conversations/" + c.sid;
  out["sid"] = c.sid;
  out["account_sid"] = state.account_sid;
  out["chat_service_sid"] = c.chat_service_sid;
  out["messaging_service_sid"] = c.messaging_service_sid;
  out["friendly_name"] = optional_text(c.friendly_name);
  out["unique_name"] = optional_text(c.unique_name);
  out["attributes"] = c.attributes;
  out["state"] = c.state;
  out["date_created"] = format_iso8601(c.date_created);
  out["date_updated"] = format_iso8601(c.date_updated);
  out["timers"] = timers_json(c);
  out["bindings"] = Json::Value(Json::objectValue);
  out["url"] = url;
  out["links"]["participants"] = url + "/Participants";
  out["links"]["messages"] = url + "/Messages";
  out["links"]["webhooks"] = url + "/Webhooks";
  return out;
}

Json::Value participant_json(const State& state, const Conversation& c, const Participant& p,
                             const Urls& urls) {
  Json::Value out(Json::objectValue);
  out["account_sid"] = state.account_sid;
  out["conversation_sid"] = c.sid;
  out["sid"] = p.sid;
  out["identity"] = optional_text(p.identity);
  out["attributes"] = p.attributes;
  out["messaging_binding"] = p.binding ? binding_json(*p.binding) : Json::Value(Json::nullValue);
  out["role_sid"] = optional_text(p.role_sid);
  out["date_created"] = format_iso8601(p.date_created);
  out["date_updated"] = format_iso8601(p.date_updated);
  out["url"] = urls.conversations() + "/Conversations/" + c.sid + "/Participants/" + p.sid;
  out["last_read_message_index"] = Json::Value(Json::nullValue);
  out["last_read_timestamp"] = Json::Value(Json::nullValue);
  return out;
}

Json::Value message_json(const State& state, const Conversation& c, const Message& m,
                         const Urls& urls) {
  Json::Value out(Json::objectValue);
  const std::string url = urls.conversations() + "/Conversations/" + c.sid + "/Messages/" + m.sid;
  out["account_sid"] = state.account_sid;
  out["chat_service_sid"] = c.chat_service_sid;
  out["conversation_sid"] = c.sid;
  out["sid"] = m.sid;
  out["index"] = static_cast<Json::Int64>(m.index);
  out["author"] = m.author;
  out["body"] = m.body;
  out["media"] = Json::Value(Json::nullValue);
  out["attributes"] = m.attributes;
  out["participant_sid"] = text_or_null(m.participant_sid);
  out["date_created"] = format_iso8601(m.date_created);
  out["date_updated"] = format_iso8601(m.date_created);
  out["delivery"] = Json::Value(Json::nullValue);
  out["url"] = url;
  out["links"]["delivery_receipts"] = url + "/Receipts";
  return out;
}

Json::Value participant_conversation_json(const State& state, const Conversation& c,
                                          const Participant& p, const Urls& urls) {
  Json::Value out(Json::objectValue);
  out["account_sid"] = state.account_sid;
  out["chat_service_sid"] = c.chat_service_sid;
  out["participant_sid"] = p.sid;
  out["participant_user_sid"] = Json::Value(Json::nullValue);
  out["participant_identity"] = optional_text(p.identity);
  if (p.binding) {
    Json::Value binding(Json::objectValue);
    binding["address"] = text_or_null(p.binding->address);
    binding["proxy_address"] = text_or_null(p.binding->proxy_address);
    binding["type"] = p.binding->type;
    binding["level"] = Json::Value(Json::nullValue);
    binding["name"] = Json::Value(Json::nullValue);
    binding["projected_address"] = text_or_null(p.binding->projected_address);
    out["participant_messaging_binding"] = binding;
  } else {
    out["participant_messaging_binding"] = Json::Value(Json::nullValue);
  }
  out["conversation_sid"] = c.sid;
  out["conversation_unique_name"] = optional_text(c.unique_name);
  out["conversation_friendly_name"] = optional_text(c.friendly_name);
  out["conversation_attributes"] = c.attributes;
  out["conversation_date_created"] = format_iso8601(c.date_created);
  out["conversation_date_updated"] = format_iso8601(c.date_updated);
  out["conversation_created_by"] = "system";
  out["conversation_state"] = c.state;
  out["conversation_timers"] = timers_json(c);
  const std::string conversation_url = urls.conversations() + "/Conversations/" + c.sid;
  out["links"]["participant"] = conversation_url + "/Participants/" + p.sid;
  out["links"]["conversation"] = conversation_url;
  return out;
}

Json::Value webhook_config_json(const State& state, const WebhookConfig& config, const Urls& urls,
                                bool service_level) {
  Json::Value out(Json::objectValue);
  out["account_sid"] = state.account_sid;
  Json::Value filters(Json::arrayValue);
  for (const std::string& filter : config.filters) filters.append(filter);
  out["filters"] = filters;
  out["method"] = config.method;
  out["pre_webhook_url"] = text_or_null(config.pre_webhook_url);
  out["post_webhook_url"] = text_or_null(config.post_webhook_url);
  if (service_level) {
    out["chat_service_sid"] = state.chat_service_sid;
    out["url"] =
        urls.conversations() + "/Services/" + state.chat_service_sid + "/Configuration/Webhooks";
  } else {
    out["target"] = config.target;
    out["url"] = urls.conversations() + "/Configuration/Webhooks";
  }
  return out;
}

Json::Value call_json(const State& state, const Call& call) {
  Json::Value out(Json::objectValue);
  const std::string uri = "/2010-04-01/Accounts/" + state.account_sid + "/Calls/" + call.sid;
  out["sid"] = call.sid;
  out["date_created"] = format_rfc2822(call.date_created);
  out["date_updated"] = format_rfc2822(call.date_updated);
  out["parent_call_sid"] = text_or_null(call.parent_sid);
  out["account_sid"] = state.account_sid;
  out["to"] = call.to;
  out["to_formatted"] = call.to;
  out["from"] = call.from;
  out["from_formatted"] = call.from;
  out["phone_number_sid"] = Json::Value(Json::nullValue);
  out["status"] = std::string(call_status_name(call.status));
  out["start_time"] = call.start_time ? Json::Value(format_rfc2822(*call.start_time))
                                      : Json::Value(Json::nullValue);
  out["end_time"] =
      call.end_time ? Json::Value(format_rfc2822(*call.end_time)) : Json::Value(Json::nullValue);
  int64_t duration = 0;
  if (call.start_time && call.end_time) {
    duration =
        std::chrono::duration_cast<std::chrono::seconds>(*call.end_time - *call.start_time).count();
  }
  out["duration"] =
      call.end_time ? Json::Value(std::to_string(duration)) : Json::Value(Json::nullValue);
  out["price"] = Json::Value(Json::nullValue);
  out["price_unit"] = "USD";
  out["direction"] = call.direction;
  out["answered_by"] = text_or_null(call.answered_by);
  out["api_version"] = "2010-04-01";
  out["forwarded_from"] = Json::Value(Json::nullValue);
  out["group_sid"] = Json::Value(Json::nullValue);
  out["caller_name"] = Json::Value(Json::nullValue);
  out["queue_time"] = "0";
  out["trunk_sid"] = Json::Value(Json::nullValue);
  out["uri"] = uri + ".json";
  Json::Value& subresources = out["subresource_uris"];
  for (const char* name :
       {"notifications", "recordings", "payments", "events", "siprec", "streams", "transcriptions",
        "user_defined_message_subscriptions", "user_defined_messages"}) {
    subresources[name] = uri + "/" + name + ".json";
  }
  return out;
}

Json::Value incoming_number_json(const State& state, const PhoneNumber& n) {
  Json::Value out(Json::objectValue);
  out["sid"] = n.sid;
  out["account_sid"] = state.account_sid;
  out["phone_number"] = n.phone_number;
  out["friendly_name"] = n.friendly_name;
  out["capabilities"]["voice"] = true;
  out["capabilities"]["sms"] = true;
  out["capabilities"]["mms"] = true;
  out["capabilities"]["fax"] = false;
  out["voice_url"] = n.voice_url;
  out["voice_method"] = n.voice_method;
  out["voice_fallback_url"] = "";
  out["voice_fallback_method"] = "POST";
  out["voice_caller_id_lookup"] = false;
  out["voice_application_sid"] = "";
  out["voice_receive_mode"] = "voice";
  out["sms_url"] = n.sms_url;
  out["sms_method"] = n.sms_method;
  out["sms_fallback_url"] = "";
  out["sms_fallback_method"] = "POST";
  out["sms_application_sid"] = "";
  out["status_callback"] = n.status_callback;
  out["status_callback_method"] = n.status_callback_method;
  out["trunk_sid"] = Json::Value(Json::nullValue);
  out["api_version"] = "2010-04-01";
  out["address_requirements"] = "none";
  out["origin"] = "twilio";
  out["beta"] = false;
  out["status"] = "in-use";
  out["type"] = "local";
  out["emergency_status"] = "Inactive";
  out["date_created"] = format_rfc2822(n.date_created);
  out["date_updated"] = format_rfc2822(n.date_updated);
  out["uri"] =
      "/2010-04-01/Accounts/" + state.account_sid + "/IncomingPhoneNumbers/" + n.sid + ".json";
  return out;
}

Json::Value messaging_service_json(const State& state, const Urls& urls) {
  Json::Value out(Json::objectValue);
  const std::string url = urls.messaging() + "/Services/" + state.messaging_service_sid;
  out["sid"] = state.messaging_service_sid;
  out["account_sid"] = state.account_sid;
  out["friendly_name"] = state.messaging_service_name;
  out["inbound_request_url"] = Json::Value(Json::nullValue);
  out["use_inbound_webhook_on_number"] = true;
  out["usecase"] = "undeclared";
  out["us_app_to_person_registered"] = false;
  out["url"] = url;
  out["links"]["phone_numbers"] = url + "/PhoneNumbers";
  return out;
}

Json::Value messaging_phone_number_json(const State& state, const PhoneNumber& n,
                                        const Urls& urls) {
  Json::Value out(Json::objectValue);
  out["sid"] = n.sid;
  out["account_sid"] = state.account_sid;
  out["service_sid"] = state.messaging_service_sid;
  out["date_created"] = format_iso8601(n.date_created);
  out["date_updated"] = format_iso8601(n.date_updated);
  out["phone_number"] = n.phone_number;
  out["country_code"] = n.phone_number.rfind("+1", 0) == 0 ? "US" : "";
  Json::Value capabilities(Json::arrayValue);
  capabilities.append("Voice");
  capabilities.append("SMS");
  capabilities.append("MMS");
  out["capabilities"] = capabilities;
  out["url"] =
      urls.messaging() + "/Services/" + state.messaging_service_sid + "/PhoneNumbers/" + n.sid;
  return out;
}

}  // namespace mc::sandbox
