#include "store/postgres/transaction_runner.h"

#include <random>
#include <thread>

namespace mc::store::postgres {
namespace {

// Rolls back unless committed, so a connection never returns to its pool inside a
// transaction (the pool would close it anyway).
class Transaction {
 public:
  explicit Transaction(Connection& db) : db_(db) {}
  ~Transaction() { roll_back(); }
  Status begin() {
    Status begun = db_.exec("BEGIN");
    open_ = begun.is_ok();
    return begun;
  }
  Status commit() {
    Status committed = db_.exec("COMMIT");
    open_ = false;  // a failed COMMIT has ended the transaction too
    return committed;
  }
  void roll_back() {
    if (!open_) return;
    open_ = false;
    db_.exec("ROLLBACK");
  }

 private:
  Connection& db_;
  bool open_ = false;
};

std::chrono::microseconds back_off(int attempt) {
  thread_local std::mt19937 random(std::random_device{}());
  const int ceiling = 1000 << std::min(attempt, 5);  // 2, 4, ... 32 ms
  return std::chrono::microseconds(
      std::uniform_int_distribution<int>(ceiling / 2, ceiling)(random));
}

}  // namespace

Status TransactionRunner::write(const std::function<Status(sql::Connection&)>& work) {
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(back_off(attempt));
    auto connection = pool_.borrow();
    if (!connection) return connection.status();
    Connection& db = **connection;
    Transaction transaction(db);
    if (Status begun = transaction.begin(); !begun) return begun;
    last = work(db);  // if it throws, `transaction` rolls back before the lease returns
    if (last) last = transaction.commit();
    if (last) return last;
    const std::string sqlstate = db.last_sqlstate();
    transaction.roll_back();
    if (last.code() != StatusCode::kAborted) return last;
    if (attempt + 1 < kAttempts) count_retry(sqlstate);
  }
  return last;
}

Status TransactionRunner::read(const std::function<Status(sql::Connection&)>& work) {
  auto connection = pool_.borrow();
  if (!connection) return connection.status();
  return work(**connection);
}

void TransactionRunner::count_retry(const std::string& sqlstate) {
  retries_.fetch_add(1);
  if (metrics_ == nullptr) return;
  const char* reason = sqlstate == "40001"   ? "serialization"
                       : sqlstate == "40P01" ? "deadlock"
                       : sqlstate == "23505" ? "masking-index"
                                             : "capacity";
  metrics_->add_counter("mc_store_transaction_retries_total",
                        std::string("reason=\"") + reason + "\"");
}

}  // namespace mc::store::postgres
