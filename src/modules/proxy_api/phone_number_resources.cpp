#include "modules/proxy_api/proxy_wire.h"
#include "modules/proxy_api/service_resources.h"

namespace mc::modules::proxy_api {
namespace {

using proxy::ServiceNumber;

bool has(const std::string& capabilities, const std::string& capability) {
  return ("," + capabilities + ",").find("," + capability + ",") != std::string::npos;
}

Json::Value number_json(const ApiScope& scope, const ServiceNumber& n) {
  Json::Value out(Json::objectValue);
  out["sid"] = n.number_sid;
  out["account_sid"] = scope.account_sid;
  out["service_sid"] = n.service_sid;
  out["date_created"] = iso_time(n.added_at);
  out["date_updated"] = iso_time(n.updated_at);
  out["phone_number"] = n.number;
  out["friendly_name"] = n.friendly_name;
  out["iso_country"] = n.country;
  for (const char* kind : {"sms", "voice", "mms"}) {
    out["capabilities"][std::string(kind) + "_inbound"] = has(n.capabilities, kind);
    out["capabilities"][std::string(kind) + "_outbound"] = has(n.capabilities, kind);
  }
  out["url"] = scope.base_url + "/v1/Services/" + n.service_sid + "/PhoneNumbers/" + n.number_sid;
  out["is_reserved"] = n.is_reserved;
  out["in_use"] = static_cast<Json::Int64>(n.in_use);
  return out;
}

// The account's IncomingPhoneNumber named by `sid` (PN...) or `number` (E.164), as Twilio
// has it; 80606 when the account has no such number.
Result<Json::Value> incoming_number(ApiScope& scope, const std::optional<std::string>& sid,
                                    const std::optional<std::string>& number) {
  const std::string account = "/2010-04-01/Accounts/" + scope.account_sid;
  const Status not_owned = Status::invalid_argument(
      (sid ? *sid : *number) + " is not a phone number of this account", code::kNotOwned);
  if (sid) {
    if (sid->size() != 34 || sid->rfind("PN", 0) != 0) {
      return Status::invalid_argument("Invalid parameter Sid: expected PN...",
                                      code::kInvalidParameter);
    }
    twilio::TwilioRequest fetch;
    fetch.endpoint = "incoming_phone_numbers.fetch";
    fetch.product = "api";
    fetch.path = account + "/IncomingPhoneNumbers/" + *sid + ".json";
    auto found = scope.twilio.send(fetch);
    if (!found && found.status().code() == StatusCode::kNotFound) return not_owned;
    return found;
  }
  twilio::TwilioRequest list;
  list.endpoint = "incoming_phone_numbers.list";
  list.product = "api";
  list.path = account + "/IncomingPhoneNumbers.json";
  list.form = {{"PhoneNumber", *number}};
  auto page = scope.twilio.send(list);
  if (!page) return page.status();
  for (const Json::Value& record : (*page)["incoming_phone_numbers"]) {
    if (record["phone_number"].asString() == *number) return record;
  }
  return not_owned;
}

Response add_number(ApiScope& scope, const std::string& service_sid, const Request& request) {
  const auto sid = form_value(request, "Sid");
  const auto number = form_value(request, "PhoneNumber");
  if (!sid && !number) {
    return Response::error(400, code::kInvalidParameter,
                           "Missing required parameter Sid or PhoneNumber in the post body");
  }
  auto reserved = form_bool(request, "IsReserved");
  if (!reserved) return error(reserved.status());
  if (number && !sid) {
    auto info = scope.geography.describe(*number);
    if (!info) return error(Status::invalid_argument(info.status().message(), 80404));
  }
  auto service = scope.directory.find(service_sid);
  if (!service) return error(service.status());
  if (!*service) return not_found("/Services/" + service_sid);
  auto record = incoming_number(scope, sid, number);
  if (!record) return error(record.status());
  auto info = scope.geography.describe((*record)["phone_number"].asString());
  if (!info) return error(Status::invalid_argument(info.status().message(), 80404));
  store::PoolNumber pool;
  pool.number = info->e164;
  pool.country = info->country;
  pool.area_code = info->area_code;
  pool.region = info->region;
  pool.capacity = scope.number_capacity;
  pool.number_sid = (*record)["sid"].asString();
  pool.friendly_name = (*record)["friendly_name"].asString();
  std::string capabilities;
  for (const char* kind : {"sms", "voice", "mms"}) {
    if ((*record)["capabilities"][kind].asBool()) {
      capabilities += (capabilities.empty() ? "" : ",") + std::string(kind);
    }
  }
  pool.capabilities = capabilities;
  if (Status s = scope.directory.add_number(service_sid, pool, reserved->value_or(false),
                                            scope.clock.now());
      !s) {
    return error(s);
  }
  auto added = scope.directory.find_number(service_sid, pool.number);
  if (!added) return error(added.status());
  if (!*added) return not_found("/PhoneNumbers/" + pool.number_sid);
  return Response::json(201, number_json(scope, **added));
}

}  // namespace

void add_phone_number_routes(Router& router, ApiScope& scope) {
  const std::string list = "/v1/Services/{service}/PhoneNumbers";
  const std::string one = list + "/{sid}";
  router.add("POST", list, Access::kApi, [&scope](Request& request) {
    return add_number(scope, std::string(request.path_param("service")), request);
  });
  router.add("GET", list, Access::kApi, [&scope](Request& request) {
    const std::string service(request.path_param("service"));
    auto page = read_page(request);
    if (!page) return error(page.status());
    auto numbers = scope.directory.list_numbers(service, page->offset, page->page_size + 1);
    if (!numbers) return error(numbers.status());
    std::vector<Json::Value> items;
    for (const ServiceNumber& n : *numbers) items.push_back(number_json(scope, n));
    return Response::json(200,
                          list_body("phone_numbers", std::move(items), *page,
                                    scope.base_url + "/v1/Services/" + service + "/PhoneNumbers"));
  });
  router.add("GET", one, Access::kApi, [&scope](Request& request) {
    const std::string service(request.path_param("service"));
    const std::string sid(request.path_param("sid"));
    auto number = scope.directory.find_number(service, sid);
    if (!number) return error(number.status());
    if (!*number) return not_found("/Services/" + service + "/PhoneNumbers/" + sid);
    return Response::json(200, number_json(scope, **number));
  });
  router.add("POST", one, Access::kApi, [&scope](Request& request) {
    const std::string service(request.path_param("service"));
    const std::string sid(request.path_param("sid"));
    auto reserved = form_bool(request, "IsReserved");
    if (!reserved) return error(reserved.status());
    auto number = scope.directory.find_number(service, sid);
    if (!number) return error(number.status());
    if (!*number) return not_found("/Services/" + service + "/PhoneNumbers/" + sid);
    if (*reserved) {
      auto set =
          scope.directory.set_reserved(service, (*number)->number, **reserved, scope.clock.now());
      if (!set) return error(set.status());
      number = scope.directory.find_number(service, sid);
      if (!number || !*number) return not_found("/Services/" + service + "/PhoneNumbers/" + sid);
    }
    return Response::json(200, number_json(scope, **number));
  });
  router.add("DELETE", one, Access::kApi, [&scope](Request& request) {
    const std::string service(request.path_param("service"));
    const std::string sid(request.path_param("sid"));
    auto number = scope.directory.find_number(service, sid);
    if (!number) return error(number.status());
    if (!*number) return not_found("/Services/" + service + "/PhoneNumbers/" + sid);
    auto removed = scope.directory.remove_number(service, (*number)->number);
    if (!removed) return error(removed.status());
    return Response::text(204, "");
  });
}

}  // namespace mc::modules::proxy_api
