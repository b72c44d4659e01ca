// The sandbox's command line.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "sandbox.h"

namespace mc::sandbox {

// The usage text, listing every option and fault endpoint.
std::string usage();

// Parses argv. Errors name the option and what was wrong.
Result<SandboxOptions> parse_options(const std::vector<std::string>& arguments, bool* print_numbers,
                                     bool* show_help);

}  // namespace mc::sandbox
