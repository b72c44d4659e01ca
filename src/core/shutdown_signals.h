#pragma once
// SIGTERM/SIGINT handling shared by the worker and the sandbox: the signals are blocked in
// every thread and one thread receives them synchronously, so no handler runs mid-request.

namespace mc {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts later, and
// ignores SIGPIPE (a client that goes away must not kill the process). Call first thing in
// main(), before any thread exists.
void block_shutdown_signals();

// Waits until SIGTERM or SIGINT arrives (after block_shutdown_signals()); returns which.
int wait_for_shutdown_signal();

}  // namespace mc
