#include "twilio/opt_out_keywords.h"

#include <cctype>
#include <set>

namespace mc::twilio {
namespace {

// A keyword is short; anything longer is a sentence that merely contains one.
constexpr size_t kLongestKeywordText = 32;

std::string keyword_of(const std::string& body) {
  std::string word;
  for (char c : body) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return word;
}

}  // namespace

bool is_opt_out_keyword(const std::string& body) {
  static const std::set<std::string> words = {"STOP",   "STOPALL", "UNSUBSCRIBE",
                                              "CANCEL", "END",     "QUIT"};
  return body.size() < kLongestKeywordText && words.count(keyword_of(body)) > 0;
}

bool is_opt_in_keyword(const std::string& body) {
  static const std::set<std::string> words = {"START", "UNSTOP", "YES"};
  return body.size() < kLongestKeywordText && words.count(keyword_of(body)) > 0;
}

}  // namespace mc::twilio
