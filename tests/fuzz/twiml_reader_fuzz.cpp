// The sandbox's TwiML reader, which plays whatever the worker (or a test) answers.
#include <cstdint>
#include <string_view>

#include "twiml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mc::sandbox::read_twiml(text);
  (void)mc::sandbox::read_twiml_document(text);
  return 0;
}
