#include "cli.h"

#include <json/writer.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace mc::maskctl {

const char* const kUsage =
    "usage: maskctl [--env-file FILE] [--json] [--yes] COMMAND\n"
    "\n"
    "  pool list\n"
    "  pool add NUMBER... [--capacity N]\n"
    "  pool reserve | unreserve | retire | unretire NUMBER...\n"
    "  pool sync [--from numbers | messaging-service] [--retire-others]\n"
    "  sessions list [--status STATUS] [--limit N]\n"
    "  sessions show ID\n"
    "  sessions close ID\n"
    "  doctor       check the deployment end to end; changes nothing\n"
    "  configure    set at Twilio what doctor checks there (asks first unless --yes)\n"
    "\n"
    "Configuration is the worker's: the environment, with --env-file FILE on top (as\n"
    "/etc/masked-comms/masked-comms.env). --json prints one JSON document.\n"
    "Exit codes: 0 ok; 1 doctor found errors, or configure declined or failed; 2 bad\n"
    "arguments or configuration; 3 the ledger or Twilio unreachable; 4 no such number or\n"
    "session.\n";

Result<Invocation> parse_invocation(int argc, char** argv) {
  Invocation invocation;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      invocation.json = true;
    } else if (arg == "--yes" || arg == "-y") {
      invocation.yes = true;
    } else if (arg == "--retire-others") {
      invocation.options[arg.substr(2)] = "true";
    } else if (arg.rfind("--", 0) == 0) {
      if (i + 1 >= argc) return Status::invalid_argument(arg + " needs a value");
      const std::string value = argv[++i];
      if (arg == "--env-file") {
        invocation.env_file = value;
      } else {
        invocation.options[arg.substr(2)] = value;
      }
    } else {
      invocation.words.push_back(arg);
    }
  }
  if (invocation.words.empty()) return Status::invalid_argument("no command given");
  return invocation;
}

int exit_code_for(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return kUnavailable;
    case StatusCode::kNotFound:
      return kNotFound;
    default:
      return kBadUsage;
  }
}

void Output::table(const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows) const {
  std::vector<size_t> widths(header.size());
  for (size_t c = 0; c < header.size(); ++c) widths[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  const auto print = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      text += cells[c];
      if (c + 1 < cells.size()) text += std::string(widths[c] - cells[c].size() + 2, ' ');
    }
    std::cout << text << '\n';
  };
  print(header);
  for (const auto& row : rows) print(row);
}

void Output::line(const std::string& text) const { std::cout << text << '\n'; }

void Output::document(const Json::Value& value) const {
  Json::StreamWriterBuilder builder;
  builder["indentation"] = "  ";
  std::cout << Json::writeString(builder, value) << '\n';
}

int Output::error(const std::string& message, int code) const {
  std::cerr << "maskctl: " << message << '\n';
  return code;
}

void Output::progress(const std::string& label, size_t done, size_t total) const {
  if (json_ || !::isatty(STDERR_FILENO)) return;
  if (total == 0) {
    std::fprintf(stderr, "\r%s: %zu", label.c_str(), done);
  } else {
    constexpr size_t kWidth = 30;
    const size_t filled = std::min(kWidth, done * kWidth / total);
    std::fprintf(stderr, "\r%s [%s%s] %zu/%zu", label.c_str(), std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, ' ').c_str(), done, total);
  }
  std::fflush(stderr);
  drawing_ = true;
}

void Output::end_progress() const {
  if (!drawing_) return;
  std::fputc('\n', stderr);
  drawing_ = false;
}

}  // namespace mc::maskctl
