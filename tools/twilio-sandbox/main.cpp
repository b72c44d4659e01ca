// twilio-sandbox: wires the options, the sandbox and its HTTP server together.

#include <cstdio>
#include <iostream>
#include <thread>

#include "core/log.h"
#include "core/shutdown_signals.h"
#include "net/http_client.h"
#include "options.h"
#include "routes.h"

int main(int argc, char** argv) {
  mc::block_shutdown_signals();  // before any thread exists

  bool print_numbers = false, show_help = false;
  auto options = mc::sandbox::parse_options(std::vector<std::string>(argv + 1, argv + argc),
                                            &print_numbers, &show_help);
  if (show_help) {
    std::cout << mc::sandbox::usage();
    return 0;
  }
  if (!options) {
    std::cerr << "twilio-sandbox: " << options.status().message() << "\n\n" << mc::sandbox::usage();
    return 2;
  }
  if (print_numbers) {
    for (const std::string& number : options->numbers) std::cout << number << "\n";
    return 0;
  }

  mc::net::CurlHttpClient http;
  mc::sandbox::Sandbox sandbox(*options, http);
  if (!options->state_file.empty()) {
    mc::Status loaded = sandbox.load(options->state_file);
    if (!loaded && loaded.code() != mc::StatusCode::kNotFound) {
      std::cerr << "twilio-sandbox: " << loaded.message() << "\n";
      return 2;
    }
  }
  mc::sandbox::SandboxServer server(sandbox);
  if (!server.bind(options->host, options->port)) {
    std::cerr << "twilio-sandbox: cannot listen on " << options->host << ":" << options->port
              << "\n";
    return 1;
  }
  std::thread serving([&server] { server.run(); });
  std::cout << "ready " << sandbox.urls().base << " account " << options->account_sid << " numbers "
            << options->numbers.size() << std::endl;

  mc::wait_for_shutdown_signal();
  server.stop();  // no new connections; requests in flight finish below
  int exit_code = 0;
  if (!options->state_file.empty()) {
    if (mc::Status saved = sandbox.save(options->state_file); !saved) {
      std::cerr << "twilio-sandbox: " << saved.message() << "\n";
      exit_code = 1;
    }
  }
  serving.join();
  return exit_code;
}
