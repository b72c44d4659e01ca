#include "support/test_ledger.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "core/config.h"
#include "store/postgres/connection.h"
#include "store/store_config.h"

namespace mc::testing {
namespace {

std::string url_file() {
  const char* file = std::getenv("MC_TEST_POSTGRES_URL_FILE");
  return file ? file : "";
}

// The URL of database `name` on the server at `base` (…/postgres).
std::string database_url(const std::string& base, const std::string& name) {
  return base.substr(0, base.rfind('/') + 1) + name;
}

}  // namespace

bool postgres_ledgers() { return !url_file().empty(); }

std::string postgres_server_url() {
  std::ifstream in(url_file());
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    throw std::runtime_error("MC_TEST_POSTGRES_URL_FILE=" + url_file() +
                             " names no PostgreSQL server (is the postgres fixture running?)");
  }
  return url;
}

Status postgres_command(const std::string& sql, const std::string& url) {
  store::postgres::ConnectOptions options;
  options.url = url.empty() ? postgres_server_url() : url;
  auto connection = store::postgres::Connection::open(options);
  if (!connection) return connection.status();
  return (*connection)->exec(sql);
}

TestLedger::TestLedger(const std::string& directory) {
  if (!postgres_ledgers()) {
    database_ = directory + "/ledger.db";
    return;
  }
  static std::atomic<int> created{0};
  database_name_ = "mc_test_" + std::to_string(::getpid()) + "_" + std::to_string(++created);
  const std::string base = postgres_server_url();
  if (Status s = postgres_command("CREATE DATABASE " + database_name_, base); !s) {
    throw std::runtime_error("creating a test database: " + s.to_string());
  }
  database_ = database_url(base, database_name_);
}

TestLedger::~TestLedger() {
  if (postgres()) postgres_command("DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
}

Result<std::unique_ptr<store::Store>> TestLedger::open() const { return open_database(database_); }

Result<std::unique_ptr<store::Store>> open_database(const std::string& database) {
  Environment env;
  env["MC_DATABASE"] = database;
  auto config = store::load_store_config(env);
  if (!config) return config.status();
  return store::open_store(*config);
}

std::vector<std::string> postgres_column(const std::string& url, const std::string& sql) {
  store::postgres::ConnectOptions options;
  options.url = url;
  auto connection = store::postgres::Connection::open(options);
  if (!connection) throw std::runtime_error(connection.status().to_string());
  auto statement = (*connection)->prepare(sql);
  if (!statement) throw std::runtime_error(statement.status().to_string());
  auto rows =
      (*statement)->collect([](const store::sql::Statement& row) { return row.column_text(0); });
  if (!rows) throw std::runtime_error(sql + ": " + rows.status().to_string());
  return std::move(rows).value();
}

}  // namespace mc::testing
