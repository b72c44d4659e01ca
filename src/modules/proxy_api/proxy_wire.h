// Internal to the proxy_api module: the Proxy v1 wire conventions every resource shares.
// Requests are form-encoded with PascalCase names; Debian's Python helper library sends
// booleans as True/False and spaces as '+', both accepted. Answers are snake_case JSON with
// absolute URLs on the public origin (MC_PUBLIC_BASE_URL), errors in Twilio's shape with
// Proxy's codes, and lists in the v1 envelope: {<key>: [...], "meta": {page, page_size,
// first_page_url, previous_page_url, url, next_page_url, key}}.
#pragma once

#include <json/value.h>

#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/response.h"
#include "core/status.h"
#include "core/time_format.h"

namespace mc::modules::proxy_api {

// Twilio's codes the API answers with.
namespace code {
inline constexpr int kInvalidParameter = 20001;  // missing or malformed parameter
inline constexpr int kNotFound = 20404;
inline constexpr int kNumberNotAvailable = 80601;  // another service's, or a hotline's
inline constexpr int kUniqueNameTaken = 80603;
inline constexpr int kNotOwned = 80606;  // not a number of this account
}  // namespace code

// The first value of parameter `name` in the form body, else in the query (a list's
// PageSize); nullopt when absent.
std::optional<std::string> form_value(const Request& request, const std::string& name);

// Readers of one optional parameter: nullopt when absent, INVALID_ARGUMENT (20001, naming
// the parameter) when present and malformed.
Result<std::optional<bool>> form_bool(const Request& request, const std::string& name);
Result<std::optional<int64_t>> form_int(const Request& request, const std::string& name,
                                        int64_t min, int64_t max);
Result<std::optional<std::string>> form_choice(const Request& request, const std::string& name,
                                               const std::vector<std::string>& choices);
// An absolute http(s) URL.
Result<std::optional<std::string>> form_url(const Request& request, const std::string& name);
// A string of at most `max_length` characters, valid UTF-8.
Result<std::optional<std::string>> form_text(const Request& request, const std::string& name,
                                             size_t max_length);
// The same check of a value from elsewhere (a JSON field): INVALID_ARGUMENT (20001, naming
// `name`) when it is longer or not UTF-8.
Status check_text(const std::string& name, const std::string& value, size_t max_length);

// Proxy's longest UniqueName (Services and Sessions).
inline constexpr size_t kMaxUniqueName = 191;

// Twilio's error answer for `status` (400 for bad input, 404, 409, or the store's).
Response error(const Status& status);
Response not_found(const std::string& path);

// A list request's page: PageSize (1-1000, default 50), Page (from 0) and PageToken (the
// offset, as next_page_url gives it).
struct PageRequest {
  size_t page_size = 50;
  size_t page = 0;
  size_t offset = 0;
};
Result<PageRequest> read_page(const Request& request);

// The list answer. `items` holds up to page_size + 1 entries (one more tells that another
// page follows; it is not sent). `list_url`: the absolute URL of the list, without query.
Json::Value list_body(const std::string& key, std::vector<Json::Value> items,
                      const PageRequest& page, const std::string& list_url);
// list_body for a resource listed whole (a session's few participants and interactions):
// the page is cut out of `all` here.
Json::Value list_body_of_all(const std::string& key, const std::vector<Json::Value>& all,
                             const PageRequest& page, const std::string& list_url);

// "2015-07-30T20:00:00Z"
Json::Value iso_time(TimePoint time);
Json::Value optional_iso(const std::optional<TimePoint>& time);

}  // namespace mc::modules::proxy_api
