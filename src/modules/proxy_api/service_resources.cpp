#include "modules/proxy_api/service_resources.h"

#include "core/json_values.h"
#include "modules/proxy_api/proxy_wire.h"
#include "sessions/session_service.h"

namespace mc::modules::proxy_api {
namespace {

using proxy::ServiceRecord;

const std::vector<std::string> kGeoMatchLevels = {"area-code", "overlay", "radius", "country"};
const std::vector<std::string> kSelectionBehaviors = {"avoid-sticky", "prefer-sticky"};

Json::Value service_json(const ApiScope& scope, const ServiceRecord& s) {
  const std::string url = scope.base_url + "/v1/Services/" + s.sid;
  Json::Value out(Json::objectValue);
  out["sid"] = s.sid;
  out["unique_name"] = s.unique_name;
  out["account_sid"] = scope.account_sid;
  out["chat_instance_sid"] = optional_text(s.chat_instance_sid);
  out["callback_url"] = optional_text(s.callback_url);
  out["default_ttl"] = static_cast<Json::Int64>(s.default_ttl);
  out["number_selection_behavior"] = s.number_selection_behavior;
  out["geo_match_level"] = s.geo_match_level;
  out["intercept_callback_url"] = optional_text(s.intercept_callback_url);
  out["out_of_session_callback_url"] = optional_text(s.out_of_session_callback_url);
  out["date_created"] = iso_time(s.created_at);
  out["date_updated"] = iso_time(s.updated_at);
  out["url"] = url;
  out["links"]["sessions"] = url + "/Sessions";
  out["links"]["phone_numbers"] = url + "/PhoneNumbers";
  return out;
}

// The parameters of a create or an update, over `s`.
Status apply_service_params(const Request& request, ServiceRecord& s) {
  auto name = form_text(request, "UniqueName", kMaxUniqueName);
  if (!name) return name.status();
  if (*name) {
    if ((*name)->empty()) {
      return Status::invalid_argument("UniqueName must not be empty", code::kInvalidParameter);
    }
    s.unique_name = **name;
  }
  auto ttl = form_int(request, "DefaultTtl", 0, 365LL * 86400 * 100);
  if (!ttl) return ttl.status();
  if (*ttl) s.default_ttl = **ttl;
  auto geo = form_choice(request, "GeoMatchLevel", kGeoMatchLevels);
  if (!geo) return geo.status();
  if (*geo) s.geo_match_level = **geo;
  auto behavior = form_choice(request, "NumberSelectionBehavior", kSelectionBehaviors);
  if (!behavior) return behavior.status();
  if (*behavior) s.number_selection_behavior = **behavior;
  for (const auto& [name_of, field] :
       {std::pair{"CallbackUrl", &s.callback_url},
        std::pair{"InterceptCallbackUrl", &s.intercept_callback_url},
        std::pair{"OutOfSessionCallbackUrl", &s.out_of_session_callback_url}}) {
    auto url = form_url(request, name_of);
    if (!url) return url.status();
    if (*url) *field = **url;
    if (auto given = form_value(request, name_of); given && given->empty()) field->reset();
  }
  if (auto chat = form_value(request, "ChatInstanceSid")) {
    if (chat->size() != 34 || chat->rfind("IS", 0) != 0) {
      return Status::invalid_argument("Invalid parameter ChatInstanceSid: expected IS...",
                                      code::kInvalidParameter);
    }
    s.chat_instance_sid = *chat;
  }
  return Status::ok();
}

Response unique_name_taken(const std::string& name) {
  return Response::error(409, code::kUniqueNameTaken,
                         "Service UniqueName " + name + " is already in use");
}

}  // namespace

void add_service_routes(Router& router, ApiScope& scope) {
  router.add("POST", "/v1/Services", Access::kApi, [&scope](Request& request) {
    if (!form_value(request, "UniqueName")) {
      return Response::error(400, code::kInvalidParameter,
                             "Missing required parameter UniqueName in the post body");
    }
    ServiceRecord service;
    service.sid = sessions::new_sid("KS");
    service.created_at = service.updated_at = scope.clock.now();
    if (Status s = apply_service_params(request, service); !s) return error(s);
    Status created = scope.directory.create(service);
    if (created.code() == StatusCode::kConflict) return unique_name_taken(service.unique_name);
    if (!created) return error(created);
    return Response::json(201, service_json(scope, service));
  });
  router.add("GET", "/v1/Services", Access::kApi, [&scope](Request& request) {
    auto page = read_page(request);
    if (!page) return error(page.status());
    auto services = scope.directory.list(page->offset, page->page_size + 1);
    if (!services) return error(services.status());
    std::vector<Json::Value> items;
    for (const ServiceRecord& s : *services) items.push_back(service_json(scope, s));
    return Response::json(
        200, list_body("services", std::move(items), *page, scope.base_url + "/v1/Services"));
  });
  router.add("GET", "/v1/Services/{sid}", Access::kApi, [&scope](Request& request) {
    const std::string sid(request.path_param("sid"));
    auto service = scope.directory.find(sid);
    if (!service) return error(service.status());
    if (!*service) return not_found("/Services/" + sid);
    return Response::json(200, service_json(scope, **service));
  });
  router.add("POST", "/v1/Services/{sid}", Access::kApi, [&scope](Request& request) {
    const std::string sid(request.path_param("sid"));
    auto service = scope.directory.find(sid);
    if (!service) return error(service.status());
    if (!*service) return not_found("/Services/" + sid);
    ServiceRecord updated = **service;
    if (Status s = apply_service_params(request, updated); !s) return error(s);
    updated.updated_at = scope.clock.now();
    auto written = scope.directory.update(updated);
    if (!written && written.status().code() == StatusCode::kConflict) {
      return unique_name_taken(updated.unique_name);
    }
    if (!written) return error(written.status());
    if (!*written) return not_found("/Services/" + sid);
    return Response::json(200, service_json(scope, updated));
  });
  // Deleting a service closes its live sessions first (as Twilio does), then drains its
  // numbers back to the default service; the Proxy API forgets the closed sessions.
  router.add("DELETE", "/v1/Services/{sid}", Access::kApi, [&scope](Request& request) {
    const std::string sid(request.path_param("sid"));
    // Refusals first: nothing is closed for a delete that cannot happen.
    auto service = scope.directory.find(sid);
    if (!service) return error(service.status());
    if (!*service) return not_found("/Services/" + sid);
    if ((*service)->is_default) {
      return Response::error(400, code::kInvalidParameter,
                             "The default service holds the pool's numbers (NUMBER_POOL) and "
                             "cannot be deleted");
    }
    auto live = scope.session_directory.live_session_ids(sid);
    if (!live) return error(live.status());
    for (const std::string& session : *live) {
      auto closed = scope.sessions.close(session, "service-deleted");
      if (!closed) return error(closed.status());
    }
    auto removed = scope.directory.remove(sid);
    if (!removed) return error(removed.status());
    if (!*removed) return not_found("/Services/" + sid);
    return Response::text(204, "");
  });
}

}  // namespace mc::modules::proxy_api
