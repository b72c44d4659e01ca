// FastCGI parameters and a body, as nginx would send them, to the worker's Request: the
// first '\n'-separated lines are NAME=VALUE parameters, the rest after a blank line the body.
#include <cstdint>
#include <cstdlib>

#include "fcgi/request_builder.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t blank = text.find("\n\n");
  const std::string head = text.substr(0, blank);
  std::string body = blank == std::string::npos ? "" : text.substr(blank + 2);
  // FcgiParams are views: the lines they point into live until the end.
  const std::vector<std::string> lines =
      mc::fuzz::split_input(reinterpret_cast<const uint8_t*>(head.data()), head.size(), '\n');
  mc::fcgi::FcgiParams params;
  for (const std::string& text_line : lines) {
    const std::string_view line(text_line);
    const size_t eq = line.find('=');
    if (eq != std::string_view::npos) params.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  (void)mc::fcgi::acceptable_body_length(params, 262144);
  mc::Request request = mc::fcgi::build_request(params, std::move(body));
  // The path never carries the query; a parsed JSON body never coexists with its error.
  if (request.path.find('?') != std::string::npos) std::abort();
  if (request.json && !request.json_error.empty()) std::abort();
  (void)request.param("From");
  (void)request.content_type_is("application/json");
  return 0;
}
