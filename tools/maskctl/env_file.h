// Reads a systemd EnvironmentFile (the worker's /etc/masked-comms/masked-comms.env):
// KEY=VALUE lines, blank lines and lines starting with # or ; ignored, a value in single or
// double quotes taken without them.
#pragma once

#include <string>

#include "core/config.h"

namespace mc::maskctl {

// `base` with the file's variables on top; INVALID_ARGUMENT naming the file and line when a
// line is neither a comment nor KEY=VALUE, UNAVAILABLE when the file cannot be read.
Result<Environment> overlay_env_file(Environment base, const std::string& path);

}  // namespace mc::maskctl
