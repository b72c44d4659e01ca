#include "twilio/account_lists.h"

namespace mc::twilio {
namespace {

std::string text_of(const Json::Value& value, const char* name) {
  const Json::Value& field = value[name];
  return field.isString() ? field.asString() : "";
}

// The path below a product's base of a next-page link: 2010 pages give "next_page_uri"
// ("/2010-04-01/..."), v1 pages an absolute "meta.next_page_url" ("https://host/v1/...").
std::string next_page_path(const Json::Value& page) {
  const std::string uri = text_of(page, "next_page_uri");
  if (!uri.empty()) return uri;
  const std::string url = page["meta"].isObject() ? text_of(page["meta"], "next_page_url") : "";
  const size_t v1 = url.find("/v1/");
  return v1 == std::string::npos ? "" : url.substr(v1);
}

}  // namespace

Status for_each_record(TwilioClient& twilio, const std::string& endpoint,
                       const std::string& product, std::string path, const std::string& key,
                       const std::function<void(const Json::Value&)>& each,
                       const std::function<void(size_t)>& on_page) {
  size_t read = 0;
  while (!path.empty()) {
    TwilioRequest request;
    request.endpoint = endpoint;
    request.product = product;
    request.path = path;
    auto page = twilio.send(request);
    if (!page) return page.status();
    for (const Json::Value& record : (*page)[key]) {
      each(record);
      ++read;
    }
    if (on_page) on_page(read);
    path = next_page_path(*page);
  }
  return Status::ok();
}

Result<std::map<std::string, std::string>> messaging_service_numbers(
    TwilioClient& twilio, const std::string& service_sid,
    const std::function<void(size_t)>& on_page) {
  std::map<std::string, std::string> numbers;
  Status s = for_each_record(
      twilio, "messaging_phone_numbers.list", "messaging",
      "/v1/Services/" + service_sid + "/PhoneNumbers?PageSize=1000", "phone_numbers",
      [&](const Json::Value& record) {
        numbers[text_of(record, "phone_number")] = text_of(record, "sid");
      },
      on_page);
  if (!s) return s;
  return numbers;
}

}  // namespace mc::twilio
