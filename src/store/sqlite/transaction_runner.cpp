#include "store/sqlite/transaction_runner.h"

#include <thread>

namespace mc::store::sqlite {
namespace {

// A write that lost a race for the masking index (ABORTED) is rerun at most this often.
constexpr int kTransactionAttempts = 3;
// The log that migration 4's triggers append binding changes to.
constexpr const char* kBindingChanges = "binding_changes";

}  // namespace

Status TransactionRunner::write(const std::function<Status(sql::Connection&)>& work) {
  Status last;
  for (int attempt = 0; attempt < kTransactionAttempts; ++attempt) {
    // Backs off without holding the write mutex, so other writers of this process go on.
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    auto connection = pool_.borrow();
    if (!connection) return connection.status();
    Connection& db = **connection;
    db.watch_inserts(kBindingChanges);
    std::lock_guard writer(write_mutex_);
    WriteTransaction transaction(db);
    if (Status begun = transaction.begin(); !begun) return begun;
    db.take_inserts();  // what an earlier, rolled-back attempt counted
    last = work(db);    // if it throws, `transaction` rolls back before the lease returns
    if (last) last = transaction.commit();
    if (last) {
      // After the commit: a process that sees the new value also sees what was committed.
      if (db.take_inserts() > 0) binding_signal_.bump();
      return last;
    }
    transaction.roll_back();
    if (last.code() != StatusCode::kAborted) return last;
  }
  return last;
}

Status TransactionRunner::read(const std::function<Status(sql::Connection&)>& work) {
  auto connection = pool_.borrow();
  if (!connection) return connection.status();
  return work(**connection);
}

}  // namespace mc::store::sqlite
