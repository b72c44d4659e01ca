// Phone-number parsing (libphonenumber behind pool::Geography) and the log masker: any
// number Geography accepts, written into a log line, comes out masked.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/log.h"
#include "core/phone_mask.h"
#include "pool/geography.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mc::pool::Geography geography;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)mc::mask_phone_numbers_in(text);
  auto info = geography.describe(text);
  if (!info) return 0;
  if (info->e164.empty() || info->e164[0] != '+') std::abort();
  const std::string line = mc::log::format_line(mc::log::Level::kInfo, "x", {{"from", info->e164}});
  if (line.find(info->e164) != std::string::npos) std::abort();
  return 0;
}
