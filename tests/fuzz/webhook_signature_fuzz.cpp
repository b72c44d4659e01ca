// The webhook signature check on attacker-controlled URLs, parameters, bodies and
// signatures: never a crash, and never accepted unless the signature was computed with the
// token (checked by recomputing it for the same inputs).
#include <cstdint>
#include <cstdlib>

#include "core/params.h"
#include "fuzz_input.h"
#include "twilio/signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto pieces = mc::fuzz::split_input(data, size);
  const std::string& url = mc::fuzz::piece(pieces, 0);
  const std::string& signature = mc::fuzz::piece(pieces, 1);
  const std::string& body = mc::fuzz::piece(pieces, 2);
  const bool json = !mc::fuzz::piece(pieces, 3).empty();
  const mc::Params params = mc::decode_form(body);
  constexpr std::string_view kToken = "fuzz-auth-token";
  const bool accepted = mc::twilio::validate_signature(kToken, signature, url, params, body, json);
  if (accepted && !json) {
    const bool genuine = signature == mc::twilio::compute_signature(
                                          kToken, mc::twilio::url_without_port(url), params) ||
                         signature == mc::twilio::compute_signature(
                                          kToken, mc::twilio::url_with_port(url), params) ||
                         signature == mc::twilio::compute_signature(kToken, url, params);
    if (!genuine) std::abort();
  }
  (void)mc::twilio::signing_string(url, params);
  return 0;
}
