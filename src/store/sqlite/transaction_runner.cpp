#include "store/sqlite/transaction_runner.h"

#include <thread>

namespace mc::store::sqlite {
namespace {

// A write that lost a race for the masking index (ABORTED) is rerun at most this often.
constexpr int kTransactionAttempts = 3;

}  // namespace

Status TransactionRunner::write(const std::function<Status(Connection&)>& work) {
  Status last;
  for (int attempt = 0; attempt < kTransactionAttempts; ++attempt) {
    // Backs off without holding the write mutex, so other writers of this process go on.
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    auto connection = pool_.borrow();
    if (!connection) return connection.status();
    Connection& db = **connection;
    std::lock_guard writer(write_mutex_);
    WriteTransaction transaction(db);
    if (Status begun = transaction.begin(); !begun) return begun;
    last = work(db);  // if it throws, `transaction` rolls back before the lease returns
    if (last) last = transaction.commit();
    if (last) return last;
    transaction.roll_back();
    if (last.code() != StatusCode::kAborted) return last;
  }
  return last;
}

}  // namespace mc::store::sqlite
