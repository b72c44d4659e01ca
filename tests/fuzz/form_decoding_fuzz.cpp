// Form and query decoding, both ours (decode_form, percent_decode_path) and cgicc's (what
// the worker decodes requests' names and values with), and the encoder's round trip.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/params.h"
#include "fcgi/request_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const mc::Params ours = mc::decode_form(text);
  (void)mc::fcgi::parse_form(text);
  (void)mc::percent_decode_path(text);
  // encode_form and decode_form are inverses.
  if (mc::decode_form(mc::encode_form(ours)) != ours) {
    // Pairs with an empty name and value are skipped by decode_form; nothing else is lost.
    mc::Params kept;
    for (const auto& pair : ours) {
      if (!pair.first.empty() || !pair.second.empty()) kept.push_back(pair);
    }
    if (mc::decode_form(mc::encode_form(kept)) != kept) std::abort();
  }
  if (mc::percent_decode_path(mc::url_encode(text)) != text) std::abort();
  return 0;
}
