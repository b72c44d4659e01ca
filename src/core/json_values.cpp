#include "core/json_values.h"

namespace mc {

Json::Value text_or_null(const std::string& text) {
  return text.empty() ? Json::Value(Json::nullValue) : Json::Value(text);
}

Json::Value optional_text(const std::optional<std::string>& text) {
  return text ? Json::Value(*text) : Json::Value(Json::nullValue);
}

Json::Value optional_int(const std::optional<int64_t>& number) {
  return number ? Json::Value(static_cast<Json::Int64>(*number)) : Json::Value(Json::nullValue);
}

Json::Value optional_iso_time(const std::optional<TimePoint>& time) {
  return time ? Json::Value(format_iso8601_millis(*time)) : Json::Value(Json::nullValue);
}

bool is_integer_in(const Json::Value& value, int64_t minimum, int64_t maximum) {
  return value.isInt64() && value.asInt64() >= minimum && value.asInt64() <= maximum;
}

}  // namespace mc
