#pragma once
// JSON values for fields that may be absent: each returns JSON null where there is no value,
// so API bodies show a missing field as null rather than "" or leaving it out.

#include <json/value.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/time_format.h"

namespace mc {

// The text, or null when it is empty.
Json::Value text_or_null(const std::string& text);
// The text, or null when there is none.
Json::Value optional_text(const std::optional<std::string>& text);
// The integer, or null when there is none.
Json::Value optional_int(const std::optional<int64_t>& number);
// The time as ISO 8601 with milliseconds ("2026-11-21T10:00:00.000Z"), or null.
Json::Value optional_iso_time(const std::optional<TimePoint>& time);

// Whether `value` is a whole number in [minimum, maximum]. jsoncpp's isIntegral() also
// admits what does not fit in 64 signed bits (1e19, 11142658299982249985), on which
// asInt64() throws: read a client's number through this first.
bool is_integer_in(const Json::Value& value, int64_t minimum, int64_t maximum);

}  // namespace mc
