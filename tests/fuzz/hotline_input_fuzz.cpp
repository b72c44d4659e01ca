// What the network gives the hotline: a POST /hotlines body (JSON parsing, the settings and
// member readers) when the first byte is even, a member's text reply (its thread label)
// when it is odd. Whatever the input: settings or a 400 with a UTF-8 message, never an
// exception or a crash; settings survive being stored and read back; a label read from a
// reply names the thread it spells and leaves the rest of the reply.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/response.h"
#include "core/utf8.h"
#include "hotline/hotline_records.h"
#include "modules/hotline/hotline_settings.h"

namespace {

using namespace mc::modules::hotline;

void settings_body(std::string_view text) {
  static const mc::pool::Geography geography;
  Json::Value body;
  std::string error;
  if (!mc::parse_json_text(text, &body, &error) || !body.isObject()) return;
  auto settings = apply_settings(body, HotlineSettings{});
  if (!settings) {
    if (settings.status().http_status() != 400) std::abort();
    if (!mc::is_valid_utf8(mc::Response::error(settings.status()).body)) std::abort();
  } else {
    const HotlineSettings back = settings_of(settings_json(*settings));
    if (back.greeting != settings->greeting ||
        back.ring_timeout_seconds != settings->ring_timeout_seconds ||
        back.answer_check != settings->answer_check ||
        back.no_answer_message != settings->no_answer_message ||
        back.voicemail != settings->voicemail ||
        back.voicemail_max_length != settings->voicemail_max_length ||
        back.texts != settings->texts) {
      std::abort();
    }
  }
  if (!body["members"].isArray()) return;
  const auto now = std::chrono::system_clock::from_time_t(1800000000);
  for (const Json::Value& value : body["members"]) {
    auto member = parse_member(value, geography, now);
    if (!member && member.status().http_status() != 400) std::abort();
    if (member && (member->address.empty() || member->address[0] != '+')) std::abort();
  }
}

void reply(const std::string& text) {
  auto [id, rest] = mc::hotline::split_thread_label(text);
  if (!id) {
    if (rest != text) std::abort();
    return;
  }
  if (*id < 0) std::abort();
  if (mc::hotline::thread_id_of_label(mc::hotline::thread_label(*id)) != id) std::abort();
  if (rest.size() > text.size() ||
      text.compare(text.size() - rest.size(), rest.size(), rest) != 0) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    settings_body(text);
  } else {
    reply(std::string(text));
  }
  return 0;
}
