// A large ledger for benchmarks: 5,000 pool numbers (100 in each of 50 area codes) and any
// number of open two-person sessions. Person k has a distinct number in area code k mod 50
// and holds a proxy number of that area code; persons 2s and 2s+1 share session s.
#pragma once

#include <string>
#include <vector>

#include "pool/geography.h"
#include "store/records.h"
#include "store/sqlite/sqlite_store.h"

namespace mc::bench {

std::string person(int k);
// The pool, with `capacity` participants allowed per number.
std::vector<store::PoolNumber> bench_pool(const pool::Geography& geography, int capacity);
// The proxy number person k holds.
const std::string& proxy_of(const std::vector<store::PoolNumber>& pool, int k);
// Fills `database` (MC_DATABASE: a SQLite path, made afresh, or an empty PostgreSQL database)
// with the pool and `sessions` open sessions, with bulk SQL: loads are computed once at the
// end. Prints progress to stderr.
Status fill_ledger(const std::string& database, const std::vector<store::PoolNumber>& pool,
                   int sessions);

}  // namespace mc::bench
