// maskctl's commands. Each takes the invocation (its words after the command name and its
// options), the deployment and the output, and returns the exit code (cli.h).
#pragma once

#include "cli.h"
#include "deployment.h"

namespace mc::maskctl {

int run_pool(const Invocation& invocation, Deployment& deployment, const Output& out);
int run_sessions(const Invocation& invocation, Deployment& deployment, const Output& out);
// Loads the configuration itself: a bad one is one of the things it reports.
int run_doctor(const Environment& env, const Output& out);
int run_configure(const Invocation& invocation, Deployment& deployment, const Output& out);

}  // namespace mc::maskctl
