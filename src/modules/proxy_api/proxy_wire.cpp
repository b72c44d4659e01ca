#include "modules/proxy_api/proxy_wire.h"

#include "core/params.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace mc::modules::proxy_api {
namespace {

Status invalid(const std::string& name, const std::string& what) {
  return Status::invalid_argument("Invalid parameter " + name + ": " + what,
                                  code::kInvalidParameter);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string page_url(const std::string& list_url, size_t page_size, size_t page, size_t offset) {
  Params query = {{"PageSize", std::to_string(page_size)}, {"Page", std::to_string(page)}};
  if (offset > 0) query.emplace_back("PageToken", "PA" + std::to_string(offset));
  return list_url + "?" + encode_form(query);
}

}  // namespace

std::optional<std::string> form_value(const Request& request, const std::string& name) {
  if (const std::string* value = find_param(request.form, name)) return *value;
  if (const std::string* value = find_param(request.query, name)) return *value;  // lists
  return std::nullopt;
}

Result<std::optional<bool>> form_bool(const Request& request, const std::string& name) {
  const auto value = form_value(request, name);
  if (!value) return std::optional<bool>();
  const std::string text = lower(*value);
  if (text == "true") return std::optional<bool>(true);
  if (text == "false") return std::optional<bool>(false);
  return invalid(name, "expected true or false, got '" + *value + "'");
}

Result<std::optional<int64_t>> form_int(const Request& request, const std::string& name,
                                        int64_t min, int64_t max) {
  const auto value = form_value(request, name);
  if (!value) return std::optional<int64_t>();
  // Every parameter read this way is a count or a duration: a sign is never valid.
  const std::optional<int64_t> number = whole_number(*value);
  if (!number || *number < min || *number > max) {
    return invalid(
        name, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return std::optional<int64_t>(*number);
}

Result<std::optional<std::string>> form_choice(const Request& request, const std::string& name,
                                               const std::vector<std::string>& choices) {
  const auto value = form_value(request, name);
  if (!value) return std::optional<std::string>();
  for (const std::string& choice : choices) {
    if (*value == choice) return value;
  }
  std::string list;
  for (const std::string& choice : choices) list += (list.empty() ? "" : ", ") + choice;
  return invalid(name, "expected one of " + list);
}

Result<std::optional<std::string>> form_url(const Request& request, const std::string& name) {
  const auto value = form_value(request, name);
  if (!value || value->empty()) return std::optional<std::string>();
  const bool http = value->rfind("http://", 0) == 0 || value->rfind("https://", 0) == 0;
  if (!http || value->size() > 2048 || value->find_first_of(" \t\r\n") != std::string::npos) {
    return invalid(name, "expected an absolute http or https URL");
  }
  return value;
}

Result<std::optional<std::string>> form_text(const Request& request, const std::string& name,
                                             size_t max_length) {
  const auto value = form_value(request, name);
  if (!value) return std::optional<std::string>();
  if (Status s = check_text(name, *value, max_length); !s) return s;
  return value;
}

Status check_text(const std::string& name, const std::string& value, size_t max_length) {
  if (!is_valid_utf8(value)) return invalid(name, "not UTF-8");
  if (utf8_length(value) > max_length) {
    return invalid(name, "longer than " + std::to_string(max_length) + " characters");
  }
  return Status::ok();
}

Response error(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return Response::error(400, status.api_code() ? status.api_code() : code::kInvalidParameter,
                             status.message());
    case StatusCode::kNotFound:
      return Response::error(404, code::kNotFound, status.message());
    case StatusCode::kConflict:
      return Response::error(409, status.api_code() ? status.api_code() : 20409, status.message());
    default:
      return Response::error(status);
  }
}

Response not_found(const std::string& path) {
  return Response::error(404, code::kNotFound, "The requested resource " + path + " was not found");
}

Result<PageRequest> read_page(const Request& request) {
  PageRequest page;
  auto size = form_int(request, "PageSize", 1, 1000);
  if (!size) return size.status();
  if (*size) page.page_size = static_cast<size_t>(**size);
  auto index = form_int(request, "Page", 0, 1000000);
  if (!index) return index.status();
  if (*index) page.page = static_cast<size_t>(**index);
  page.offset = page.page * page.page_size;
  if (const auto token = form_value(request, "PageToken"); token && !token->empty()) {
    const std::optional<int64_t> offset = token->rfind("PA", 0) == 0
                                              ? whole_number(std::string_view(*token).substr(2))
                                              : std::nullopt;
    if (!offset) return invalid("PageToken", "not a token this API gave");
    page.offset = static_cast<size_t>(*offset);
  }
  return page;
}

Json::Value list_body(const std::string& key, std::vector<Json::Value> items,
                      const PageRequest& page, const std::string& list_url) {
  const bool more = items.size() > page.page_size;
  if (more) items.resize(page.page_size);
  Json::Value body(Json::objectValue);
  Json::Value& list = body[key] = Json::Value(Json::arrayValue);
  for (Json::Value& item : items) list.append(std::move(item));
  Json::Value& meta = body["meta"];
  meta["page"] = static_cast<Json::UInt64>(page.page);
  meta["page_size"] = static_cast<Json::UInt64>(page.page_size);
  meta["first_page_url"] = page_url(list_url, page.page_size, 0, 0);
  meta["url"] = page_url(list_url, page.page_size, page.page, page.offset);
  meta["previous_page_url"] =
      page.offset == 0
          ? Json::Value(Json::nullValue)
          : Json::Value(page_url(list_url, page.page_size, page.page ? page.page - 1 : 0,
                                 page.offset > page.page_size ? page.offset - page.page_size : 0));
  meta["next_page_url"] = more ? Json::Value(page_url(list_url, page.page_size, page.page + 1,
                                                      page.offset + page.page_size))
                               : Json::Value(Json::nullValue);
  meta["key"] = key;
  return body;
}

Json::Value list_body_of_all(const std::string& key, const std::vector<Json::Value>& all,
                             const PageRequest& page, const std::string& list_url) {
  std::vector<Json::Value> items;
  for (size_t i = page.offset; i < all.size() && items.size() <= page.page_size; ++i) {
    items.push_back(all[i]);
  }
  return list_body(key, std::move(items), page, list_url);
}

Json::Value iso_time(TimePoint time) { return format_iso8601(time); }

Json::Value optional_iso(const std::optional<TimePoint>& time) {
  return time ? iso_time(*time) : Json::Value(Json::nullValue);
}

}  // namespace mc::modules::proxy_api
