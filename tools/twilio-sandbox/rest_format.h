// The wire format of the REST resources the sandbox serves: snake_case JSON as Twilio
// returns it, Twilio's error body, and the two paging envelopes (v1 `meta` with absolute
// URLs; 2010 with relative URIs).
#pragma once

#include <json/value.h>

#include <string>
#include <vector>

#include "core/params.h"
#include "core/status.h"
#include "model.h"

namespace mc::sandbox {

// Where each product lives on the sandbox: http://HOST:PORT/{product}.
struct Urls {
  std::string base;  // "http://127.0.0.1:4010"
  std::string conversations() const { return base + "/conversations/v1"; }
  std::string api() const { return base + "/api/2010-04-01"; }
  std::string messaging() const { return base + "/messaging/v1"; }
};

// {"code", "message", "more_info", "status"}
Json::Value error_body(int http_status, int code, const std::string& message);
Json::Value error_body(const Status& status);

// Which slice of a list a request asks for.
struct PageRequest {
  size_t page_size = 50;
  size_t page = 0;
  size_t offset = 0;
};
// Reads PageSize (default 50, capped at `max_page_size`), Page and PageToken ("PT<offset>",
// opaque to clients). An unparsable value is an INVALID_ARGUMENT.
Result<PageRequest> read_page_request(const Params& query, size_t max_page_size);

// v1 list envelope: {key: records, meta: {page, page_size, first_page_url, previous_page_url,
// url, next_page_url, key}}; `filters` are echoed in every URL.
Json::Value page_v1(const std::vector<Json::Value>& all_records, const std::string& key,
                    const std::string& list_url, const Params& filters, const PageRequest& page);

// 2010 list envelope: {key: records, page, page_size, start, end, uri, first_page_uri,
// next_page_uri, previous_page_uri}; `list_uri` is relative ("/2010-04-01/Accounts/...").
Json::Value page_2010(const std::vector<Json::Value>& all_records, const std::string& key,
                      const std::string& list_uri, const Params& filters, const PageRequest& page);

Json::Value conversation_json(const State& state, const Conversation& conversation,
                              const Urls& urls);
Json::Value participant_json(const State& state, const Conversation& conversation,
                             const Participant& participant, const Urls& urls);
Json::Value message_json(const State& state, const Conversation& conversation,
                         const Message& message, const Urls& urls);
Json::Value participant_conversation_json(const State& state, const Conversation& conversation,
                                          const Participant& participant, const Urls& urls);
Json::Value webhook_config_json(const State& state, const WebhookConfig& config, const Urls& urls,
                                bool service_level);
Json::Value call_json(const State& state, const Call& call);
Json::Value incoming_number_json(const State& state, const PhoneNumber& number);
Json::Value messaging_service_json(const State& state, const Urls& urls);
Json::Value messaging_phone_number_json(const State& state, const PhoneNumber& number,
                                        const Urls& urls);

}  // namespace mc::sandbox
