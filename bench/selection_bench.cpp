// The cost of one proxy-number selection in a large ledger: 5,000 pool numbers across 50
// area codes and 1,000,000 active participants (500,000 two-person sessions), in a real
// SQLite file. Times select_proxy_number() alone and a full reservation (selection plus the
// participant insert and load update), each in its own transaction, for participants that
// are new and for ones who already hold numbers.
//
//   selection-bench [DIRECTORY (default /tmp)] [PARTICIPANTS (default 1000000)]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "ledger_fixture.h"
#include "pool/geography.h"
#include "pool/selection.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using Clock = std::chrono::steady_clock;

void report(const char* what, std::vector<double>& micros) {
  std::sort(micros.begin(), micros.end());
  double sum = 0;
  for (double m : micros) sum += m;
  std::printf("%-44s mean %7.1f us   p50 %7.1f us   p99 %7.1f us   (n=%zu)\n", what,
              sum / static_cast<double>(micros.size()), micros[micros.size() / 2],
              micros[micros.size() * 99 / 100], micros.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string directory = argc > 1 ? argv[1] : "/tmp";
  const int participants = argc > 2 ? std::atoi(argv[2]) : 1000000;
  const std::string path = directory + "/selection-bench.db";
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto opened = mc::store::sqlite::SqliteStore::open(path, std::chrono::seconds(5));
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.status().to_string().c_str());
    return 1;
  }
  auto& store = **opened;
  mc::pool::Geography geography;

  // 5,000 numbers: 100 per area code.
  const std::vector<mc::store::PoolNumber> pool = mc::bench::bench_pool(geography, 1000);
  if (auto s = store.sync_pool(pool, true); !s) {
    std::fprintf(stderr, "%s\n", s.to_string().c_str());
    return 1;
  }

  // The ledger: two-person sessions, each person with a proxy number in their area code.
  const auto fill_started = Clock::now();
  std::mt19937_64 random(42);
  const int sessions = participants / 2;
  const int per_transaction = 5000;
  const auto created = std::chrono::system_clock::now();
  for (int first = 0; first < sessions; first += per_transaction) {
    auto status = store.transact([&](mc::store::Transaction& tx) -> mc::Status {
      for (int s = first; s < std::min(sessions, first + per_transaction); ++s) {
        mc::store::SessionRecord session;
        session.id = "KC" + std::to_string(s);
        session.status = "open";
        session.created_at = session.updated_at = created;
        if (auto st = tx.insert_session(session); !st) return st;
        for (int side = 0; side < 2; ++side) {
          const int k = s * 2 + side;
          mc::store::ParticipantRecord p;
          p.session_id = session.id;
          p.address = mc::bench::person(k);
          p.proxy_number = mc::bench::proxy_of(pool, k);
          p.created_at = created;
          if (auto st = tx.add_participant(p); !st) return st;
        }
      }
      return mc::Status::ok();
    });
    if (!status) {
      std::fprintf(stderr, "fill: %s\n", status.to_string().c_str());
      return 1;
    }
  }
  const double fill_seconds = std::chrono::duration<double>(Clock::now() - fill_started).count();
  std::printf(
      "ledger: %zu pool numbers, %d active participants in %d sessions (filled in %.1f s, %.0f "
      "MiB)\n",
      pool.size(), sessions * 2, sessions, fill_seconds,
      static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));

  // Who is selected for: new people, and people who already hold numbers (more rows to skip).
  std::vector<mc::pool::PhoneInfo> newcomers, regulars;
  for (int i = 0; i < 2000; ++i) {
    // Newcomers: numbers beyond everyone in the ledger, in every area code.
    newcomers.push_back(*geography.describe(mc::bench::person(sessions * 2 + 1000 + i)));
    regulars.push_back(*geography.describe(
        mc::bench::person(static_cast<int>(random() % static_cast<uint64_t>(sessions * 2)))));
  }
  const mc::pool::SelectionPolicy policy;
  auto time_selection = [&](const std::vector<mc::pool::PhoneInfo>& people, bool reserve) {
    std::vector<double> micros;
    for (const mc::pool::PhoneInfo& who : people) {
      const auto started = Clock::now();
      store.transact([&](mc::store::Transaction& tx) -> mc::Status {
        auto chosen = mc::pool::select_proxy_number(tx, who, {"+12125550000"}, policy);
        if (!chosen) return chosen.status();
        if (reserve) {
          mc::store::ParticipantRecord p;
          p.session_id = "KC0";
          p.address = who.e164;
          p.proxy_number = *chosen;
          p.created_at = created;
          if (auto st = tx.add_participant(p); !st) return st;
        }
        // Any error but ABORTED rolls back without a retry: the ledger stays as it was.
        return mc::Status::failed_precondition("bench: roll back");
      });
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - started).count());
    }
    return micros;
  };
  std::vector<double> timings;
  std::printf("(each figure includes BEGIN IMMEDIATE ... ROLLBACK around the work)\n");
  timings = time_selection(
      std::vector<mc::pool::PhoneInfo>(newcomers.begin(), newcomers.begin() + 1000), false);
  report("selection, new participant:", timings);
  timings = time_selection(
      std::vector<mc::pool::PhoneInfo>(regulars.begin(), regulars.begin() + 1000), false);
  report("selection, participant holding numbers:", timings);
  timings = time_selection(
      std::vector<mc::pool::PhoneInfo>(newcomers.begin() + 1000, newcomers.end()), true);
  report("selection + reservation, new participant:", timings);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
