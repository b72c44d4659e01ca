// The pool_numbers table: selection's candidates, the pool as configured, and each number's
// load (the active participants holding it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pool/selection.h"
#include "store/records.h"
#include "store/sql/connection.h"

namespace mc::store::sql {

// Up to `limit` selectable numbers of `tier` (not reserved, not retired, below capacity),
// least loaded first.
Result<std::vector<pool::Candidate>> least_loaded_numbers(Connection& db, const pool::Tier& tier,
                                                          size_t limit);
Result<std::optional<PoolNumber>> find_pool_number(Connection& db, const std::string& number);
Result<std::vector<PoolNumber>> all_pool_numbers(Connection& db);
// Adds or updates `numbers` (a listed number is un-retired; whether it is reserved is kept,
// an operator's choice made with maskctl); with `retire_others`, every number not listed is
// retired.
Status sync_pool_numbers(Connection& db, const std::vector<PoolNumber>& numbers, bool retire_others,
                         TimePoint now);
// Sets the flags given (nullopt: unchanged); false when `number` is not in the pool.
Result<bool> set_pool_number_flags(Connection& db, const std::string& number,
                                   std::optional<bool> reserved, std::optional<bool> retired);
// Adds `delta` (negative: gives back) to the number's load. ABORTED when adding would pass
// its capacity (a concurrent writer took the room); giving back stops at zero.
Status change_load(Connection& db, const std::string& number, int64_t delta);

}  // namespace mc::store::sql
