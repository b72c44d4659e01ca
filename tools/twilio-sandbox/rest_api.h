// The sandbox's Twilio REST API: RestApi registers every endpoint on the sandbox's listener,
// one file per product family (rest_conversations.cpp, rest_numbers.cpp), through route(),
// which plays Twilio's part of every request (auth, Date, faults, JSON errors).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rest_format.h"
#include "routes.h"

namespace mc::sandbox {

struct RestCall {
  const httplib::Request& http;
  Params params;
  bool webhooks_enabled;
  std::string arg(size_t index) const { return http.matches[index].str(); }
};

struct RestReply {
  int status = 200;
  Json::Value body;
};

using RestHandler = std::function<RestReply(RestCall&)>;

// A Status as Twilio's error answer.
RestReply from_status(const Status& status);

class RestApi {
 public:
  RestApi(httplib::Server& server, Sandbox& sandbox);

  // Serves `handler` at `method` `pattern` as Twilio would: Basic auth with the account's
  // credentials, a Date header, faults injected for `endpoint`, the reply as JSON.
  void route(const std::string& method, const std::string& pattern, const std::string& endpoint,
             RestHandler handler);

 private:
  void register_conversations();      // rest_conversations.cpp
  void register_voice_and_numbers();  // rest_numbers.cpp
  void register_messaging();          // rest_numbers.cpp

  State& state() { return sandbox_.state(); }
  const Urls& urls() const { return sandbox_.urls(); }
  RestReply not_found(const std::string& what) {
    return {404, error_body(404, 20404, "The requested resource " + what + " was not found")};
  }
  RestReply list_v1(const RestCall& call, const std::vector<Json::Value>& records,
                    const std::string& key, const std::string& url, const Params& filters,
                    size_t max_page_size) {
    auto page = read_page_request(call.params, max_page_size);
    if (!page) return from_status(page.status());
    return {200, page_v1(records, key, url, filters, *page)};
  }

  httplib::Server& server_;
  Sandbox& sandbox_;
};

}  // namespace mc::sandbox
