// A POST /sessions body: JSON parsing (depth, UTF-8) and the field readers. Whatever the
// input, the answer is a request or a 400, never an exception or a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/response.h"
#include "core/utf8.h"
#include "modules/sessions_api/create_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json::Value body;
  std::string error;
  if (!mc::parse_json_text(text, &body, &error)) return 0;
  const auto now = std::chrono::system_clock::from_time_t(1800000000);
  auto request = mc::modules::sessions_api::parse_create_request(body, now);
  if (!request) {
    if (request.status().http_status() != 400) std::abort();
    if (!mc::is_valid_utf8(mc::Response::error(request.status()).body)) std::abort();
    return 0;
  }
  for (const auto& [name, value] : request->conversation) {
    if (!mc::is_valid_utf8(name) || !mc::is_valid_utf8(value)) std::abort();
  }
  return 0;
}
