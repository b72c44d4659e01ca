// maskctl's command line and output. A command gets the parsed Invocation and an Output
// that prints for people (text) or, with --json, one JSON document for scripts.
#pragma once

#include <json/value.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace mc::maskctl {

// Exit codes (documented in the usage text and the README).
enum ExitCode : int {
  kOk = 0,
  kProblems = 1,     // doctor found errors; configure was declined or failed at Twilio
  kBadUsage = 2,     // bad arguments or configuration
  kUnavailable = 3,  // the ledger or Twilio could not be reached
  kNotFound = 4,     // a number or session that does not exist
};

struct Invocation {
  std::string env_file;                        // --env-file FILE
  bool json = false;                           // --json
  bool yes = false;                            // --yes: configure without asking
  std::vector<std::string> words;              // the command and its arguments
  std::map<std::string, std::string> options;  // --name VALUE after the command
};

// Parses argv; INVALID_ARGUMENT naming what is wrong.
Result<Invocation> parse_invocation(int argc, char** argv);

extern const char* const kUsage;

// The exit code for a failed Status (unavailable or deadline: kUnavailable; not found:
// kNotFound; anything else kBadUsage).
int exit_code_for(const Status& status);

class Output {
 public:
  explicit Output(bool json) : json_(json) {}
  bool json() const { return json_; }
  // Text mode: a table with a header row, columns padded to their widest cell.
  void table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) const;
  // Text mode: one line.
  void line(const std::string& text) const;
  // JSON mode: the document, pretty-printed.
  void document(const Json::Value& value) const;
  // Either mode: an error on stderr ("maskctl: ..."); returns `code`.
  int error(const std::string& message, int code) const;
  // Text mode on a terminal: a line rewritten in place on stderr, a bar when `total` is
  // known ("label [####    ] done/total"), else a count ("label: done").
  void progress(const std::string& label, size_t done, size_t total = 0) const;
  // Ends the progress line, if one was drawn.
  void end_progress() const;

 private:
  bool json_;
  mutable bool drawing_ = false;  // a progress line is on the terminal
};

}  // namespace mc::maskctl
