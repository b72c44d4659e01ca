#include "core/config.h"

#include <boost/test/unit_test.hpp>

namespace mc {
namespace {

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_when_nothing_is_set) {
  auto config = load_core_config({});
  BOOST_REQUIRE(config.is_ok());
  BOOST_TEST(config->threads == 16);
  BOOST_TEST(config->max_body_bytes == 256u * 1024u);
  BOOST_TEST(config->require_remote_user);
  BOOST_TEST(config->modules == kDefaultModules);
  BOOST_TEST(static_cast<int>(config->log_level) == static_cast<int>(log::Level::kInfo));
}

BOOST_AUTO_TEST_CASE(reads_every_core_variable) {
  auto config = load_core_config({{"MC_THREADS", "4"},
                                  {"MC_MAX_BODY_BYTES", "2048"},
                                  {"MC_SHUTDOWN_TIMEOUT_MS", "250"},
                                  {"MC_REQUIRE_REMOTE_USER", "no"},
                                  {"MC_MODULES", " admin , diagnostics,, "},
                                  {"MC_LOG_LEVEL", "debug"}});
  BOOST_REQUIRE(config.is_ok());
  BOOST_TEST(config->threads == 4);
  BOOST_TEST(config->max_body_bytes == 2048u);
  BOOST_TEST(config->shutdown_timeout.count() == 250);
  BOOST_TEST(!config->require_remote_user);
  BOOST_TEST((config->modules == std::vector<std::string>{"admin", "diagnostics"}));
  BOOST_TEST(static_cast<int>(config->log_level) == static_cast<int>(log::Level::kDebug));
}

BOOST_AUTO_TEST_CASE(empty_value_means_default) {
  auto config = load_core_config({{"MC_THREADS", "  "}});
  BOOST_REQUIRE(config.is_ok());
  BOOST_TEST(config->threads == 16);
}

BOOST_AUTO_TEST_CASE(bad_integer_names_the_variable_and_value) {
  auto config = load_core_config({{"MC_THREADS", "many"}});
  BOOST_REQUIRE(!config.is_ok());
  BOOST_TEST(config.status().code() == StatusCode::kInvalidArgument);
  BOOST_TEST(config.status().message() ==
             "MC_THREADS: expected an integer from 1 to 512, got 'many'");
}

BOOST_AUTO_TEST_CASE(out_of_range_and_trailing_garbage_are_rejected) {
  BOOST_TEST(!load_core_config({{"MC_THREADS", "0"}}).is_ok());
  BOOST_TEST(!load_core_config({{"MC_THREADS", "513"}}).is_ok());
  BOOST_TEST(!load_core_config({{"MC_THREADS", "8x"}}).is_ok());
  BOOST_TEST(!load_core_config({{"MC_MAX_BODY_BYTES", "-5"}}).is_ok());
}

BOOST_AUTO_TEST_CASE(bad_boolean_and_choice_name_the_variable) {
  auto config = load_core_config({{"MC_REQUIRE_REMOTE_USER", "maybe"}, {"MC_LOG_LEVEL", "loud"}});
  BOOST_REQUIRE(!config.is_ok());
  const std::string& message = config.status().message();
  BOOST_TEST(message.find("MC_REQUIRE_REMOTE_USER: expected true or false, got 'maybe'") !=
             std::string::npos);
  BOOST_TEST(message.find("MC_LOG_LEVEL: expected one of debug, info, warn, error, got 'loud'") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(env_reader_required_and_number) {
  Environment env{{"A", "1.5"}, {"B", "x"}};
  EnvReader reader(env);
  BOOST_TEST(reader.number("A", 0, 0, 2) == 1.5);
  BOOST_TEST(reader.number("B", 7, 0, 2) == 7);
  BOOST_TEST(reader.required_string("MISSING").empty());
  BOOST_TEST(reader.status().message() ==
             "B: expected a number from 0 to 2, got 'x'; MISSING: is required but not set");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc
