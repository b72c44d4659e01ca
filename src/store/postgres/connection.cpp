#include "store/postgres/connection.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace mc::store::postgres {
namespace {

constexpr Oid kBigintOid = 20;
constexpr Oid kTextOid = 25;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string server_message(PGconn* conn, const PGresult* result) {
  std::string message =
      result != nullptr ? PQresultErrorMessage(result) : (conn ? PQerrorMessage(conn) : "");
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) {
    message.pop_back();
  }
  return message;
}

}  // namespace

std::string to_dollar_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int largest = 0;
  char quote = 0;  // the quote we are inside, if any
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out.push_back(c);
      if (c == quote) quote = 0;  // a doubled quote reopens at the next character
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c != '?') {
      out.push_back(c);
      continue;
    }
    size_t end = i + 1;
    while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
    int number = largest + 1;
    if (end > i + 1) number = std::atoi(std::string(sql.substr(i + 1, end - i - 1)).c_str());
    largest = std::max(largest, number);
    out += "$" + std::to_string(number);
    i = end - 1;
  }
  return out;
}

Result<std::unique_ptr<Connection>> Connection::open(const ConnectOptions& options) {
  const std::string connect_timeout =
      std::to_string(std::max<int64_t>(1, (options.connect_timeout.count() + 999) / 1000));
  // A server that stops answering (a dead host, a cut network) fails the connection after
  // this, rather than after TCP's own minutes.
  const std::string user_timeout = std::to_string(options.statement_timeout.count() + 1000);
  std::vector<const char*> keys = {"dbname",     "connect_timeout", "application_name",
                                   "keepalives", "keepalives_idle", "tcp_user_timeout"};
  std::vector<const char*> values = {
      options.url.c_str(), connect_timeout.c_str(), "masked-comms", "1", "10",
      user_timeout.c_str()};
  if (!options.sslmode.empty()) {
    keys.push_back("sslmode");
    values.push_back(options.sslmode.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return Status::unavailable("PostgreSQL: out of memory connecting");
  std::unique_ptr<Connection> connection(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return Status::unavailable("cannot connect to PostgreSQL: " + server_message(conn, nullptr));
  }
  const std::string timeout = std::to_string(options.statement_timeout.count());
  // The lock wait is bounded too (a row another host holds), and a transaction left open by
  // a stuck client is ended by the server.
  if (Status s = connection->exec(
          "SET statement_timeout = " + timeout + "; SET lock_timeout = " + timeout +
          "; SET idle_in_transaction_session_timeout = 60000; SET client_min_messages = warning");
      !s) {
    return s.annotate("configuring the PostgreSQL session");
  }
  return connection;
}

Connection::~Connection() {
  statements_.clear();
  PQfinish(conn_);
}

bool Connection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Status Connection::check(PGresult* result, std::string_view what) {
  const ExecStatusType state = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (state == PGRES_COMMAND_OK || state == PGRES_TUPLES_OK) {
    const char* tuples = PQcmdTuples(result);
    changes_ = tuples && *tuples ? std::atoll(tuples) : 0;
    last_sqlstate_.clear();
    if (state == PGRES_COMMAND_OK) PQclear(result);
    return Status::ok();
  }
  const char* code = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* constraint = result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  last_sqlstate_ = code ? code : "";
  const std::string message = "PostgreSQL " + std::string(what) + ": " +
                              server_message(conn_, result) +
                              (last_sqlstate_.empty() ? "" : " [" + last_sqlstate_ + "]");
  const std::string constraint_name = constraint ? constraint : "";
  PQclear(result);
  const std::string& s = last_sqlstate_;
  if (s == "23505") {
    // The masking invariant's index: a concurrent writer holds the pair. The transaction
    // is rerun, and its selection sees that pair taken.
    if (constraint_name == "participants_active_pair") return Status::aborted(message);
    return Status::conflict(message);
  }
  if (s == "40001" || s == "40P01") return Status::aborted(message);
  if (starts_with(s, "23")) return Status::internal(message);
  if (s.empty() || s == "57014" || s == "55P03" || starts_with(s, "08") || starts_with(s, "53") ||
      starts_with(s, "57P") || PQstatus(conn_) != CONNECTION_OK) {
    return Status::unavailable(message);
  }
  return Status::internal(message);
}

Status Connection::exec(std::string_view sql) {
  const std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  const ExecStatusType state = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (state == PGRES_TUPLES_OK) {
    PQclear(result);
    return Status::ok();
  }
  return check(result, "exec");
}

Result<sql::Statement*> Connection::prepare(std::string_view sql) {
  if (auto found = statements_.find(sql); found != statements_.end()) {
    found->second->reset();
    return found->second.get();
  }
  auto statement = std::make_unique<Statement>(*this, "mc" + std::to_string(++next_statement_),
                                               to_dollar_placeholders(sql));
  auto [added, _] = statements_.emplace(std::string(sql), std::move(statement));
  return added->second.get();
}

Status Connection::lock_key(std::string_view key) {
  auto statement = prepare("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))");
  if (!statement) return statement.status();
  (*statement)->bind(1, key);
  return (*statement)->run();
}

Statement::~Statement() { reset(); }

Statement::Parameter& Statement::parameter(int index) {
  const size_t slot = static_cast<size_t>(std::max(index, 1) - 1);
  if (parameters_.size() <= slot) parameters_.resize(slot + 1);
  return parameters_[slot];
}

sql::Statement& Statement::bind_text(int index, std::string_view value) {
  parameter(index) = {std::string(value), false, kTextOid};
  return *this;
}

sql::Statement& Statement::bind_int(int index, int64_t value) {
  parameter(index) = {std::to_string(value), false, kBigintOid};
  return *this;
}

sql::Statement& Statement::bind_null_text(int index) {
  parameter(index) = {"", true, kTextOid};
  return *this;
}

sql::Statement& Statement::bind_null_int(int index) {
  parameter(index) = {"", true, kBigintOid};
  return *this;
}

Status Statement::execute() {
  PGconn* conn = connection_.conn_;
  const int count = static_cast<int>(parameters_.size());
  if (!prepared_) {
    std::vector<Oid> types;
    for (const Parameter& p : parameters_) types.push_back(p.type ? p.type : kTextOid);
    if (Status s = connection_.check(
            PQprepare(conn, name_.c_str(), sql_.c_str(), count, types.data()), "prepare");
        !s) {
      return s;
    }
    prepared_ = true;
  }
  std::vector<const char*> values;
  for (const Parameter& p : parameters_) values.push_back(p.null ? nullptr : p.value.c_str());
  PGresult* result =
      PQexecPrepared(conn, name_.c_str(), count, values.data(), nullptr, nullptr, /*text=*/0);
  const ExecStatusType state = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (Status s = connection_.check(result, "query"); !s) return s;
  result_ = state == PGRES_TUPLES_OK ? result : nullptr;  // check() freed a command's result
  return Status::ok();
}

Result<bool> Statement::step() {
  if (row_ < 0) {
    if (Status s = execute(); !s) return s;
  }
  ++row_;
  return result_ != nullptr && row_ < PQntuples(result_);
}

void Statement::reset() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  parameters_.clear();
}

std::string Statement::column_text(int index) const {
  if (result_ == nullptr || PQgetisnull(result_, row_, index)) return {};
  return std::string(PQgetvalue(result_, row_, index),
                     static_cast<size_t>(PQgetlength(result_, row_, index)));
}

int64_t Statement::column_int(int index) const {
  if (result_ == nullptr || PQgetisnull(result_, row_, index)) return 0;
  const char* value = PQgetvalue(result_, row_, index);
  if (value[0] == 't') return 1;  // a boolean
  if (value[0] == 'f') return 0;
  return std::atoll(value);
}

bool Statement::column_is_null(int index) const {
  return result_ == nullptr || PQgetisnull(result_, row_, index);
}

}  // namespace mc::store::postgres
