#include "store/sql/pool_queries.h"

#include "store/sql/rows.h"

namespace mc::store::sql {

Result<std::vector<pool::Candidate>> least_loaded_numbers(Connection& db, const pool::Tier& tier,
                                                          size_t limit) {
  std::string where = "reserved = 0 AND retired = 0 AND set_aside = 0 AND load < capacity";
  std::vector<std::string> values;
  if (tier.service_sid.empty()) {
    where += " AND service_sid IS NULL";
  } else {
    where += " AND service_sid = ?";
    values.push_back(tier.service_sid);
  }
  if (!tier.country.empty()) {
    where += " AND country = ?";
    values.push_back(tier.country);
  }
  if (!tier.area_code.empty()) {
    where += " AND area_code = ?";
    values.push_back(tier.area_code);
  }
  if (!tier.region.empty()) {
    where += " AND region = ?";
    values.push_back(tier.region);
  }
  auto statement =
      db.prepare(std::string("SELECT ") + kNumberColumns + " FROM pool_numbers WHERE " + where +
                 " ORDER BY load, number LIMIT ?");
  if (!statement) return statement.status();
  Statement& s = **statement;
  int index = 1;
  for (const std::string& value : values) s.bind(index++, value);
  s.bind(index, static_cast<int64_t>(limit));
  auto numbers = s.collect(read_number);
  if (!numbers) return numbers.status();
  std::vector<pool::Candidate> out;
  for (const PoolNumber& n : *numbers) out.push_back(to_candidate(n));
  return out;
}

Result<std::optional<PoolNumber>> find_pool_number(Connection& db, const std::string& number) {
  auto statement =
      db.prepare(std::string("SELECT ") + kNumberColumns + " FROM pool_numbers WHERE number = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, number);
  return (*statement)->first_as(read_number);
}

Result<std::vector<PoolNumber>> all_pool_numbers(Connection& db) {
  auto statement =
      db.prepare(std::string("SELECT ") + kNumberColumns + " FROM pool_numbers ORDER BY number");
  if (!statement) return statement.status();
  return (*statement)->collect(read_number);
}

Status sync_pool_numbers(Connection& db, const std::vector<PoolNumber>& numbers, bool retire_others,
                         TimePoint now) {
  if (retire_others) {
    // The default service's numbers only: those the Proxy API gave another service are
    // that service's to keep (src/proxy/).
    if (Status s = db.exec("UPDATE pool_numbers SET retired = 1 WHERE service_sid IS NULL"); !s) {
      return s;
    }
  }
  for (const PoolNumber& n : numbers) {
    auto upsert = db.prepare(
        "INSERT INTO pool_numbers (number, country, area_code, region, capabilities, reserved, "
        "retired, capacity, load, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 0, ?) "
        "ON CONFLICT (number) DO UPDATE SET country = excluded.country, "
        "area_code = excluded.area_code, region = excluded.region, "
        "capabilities = excluded.capabilities, retired = 0, "
        "capacity = excluded.capacity");
    if (!upsert) return upsert.status();
    (*upsert)
        ->bind(1, n.number)
        .bind(2, n.country)
        .bind(3, n.area_code)
        .bind(4, n.region)
        .bind(5, n.capabilities)
        .bind(6, static_cast<int64_t>(n.reserved ? 1 : 0))
        .bind(7, n.capacity)
        .bind(8, to_ms(now));
    if (Status s = (*upsert)->run(); !s) return s.annotate("adding " + n.number + " to the pool");
  }
  return Status::ok();
}

Result<bool> set_pool_number_flags(Connection& db, const std::string& number,
                                   std::optional<bool> reserved, std::optional<bool> retired) {
  auto statement = db.prepare(
      "UPDATE pool_numbers SET reserved = coalesce(?1, reserved), retired = coalesce(?2, retired) "
      "WHERE number = ?3");
  if (!statement) return statement.status();
  const auto flag = [](std::optional<bool> value) -> std::optional<int64_t> {
    if (!value) return std::nullopt;
    return *value ? 1 : 0;
  };
  (*statement)->bind(1, flag(reserved)).bind(2, flag(retired)).bind(3, number);
  if (Status s = (*statement)->run(); !s) return s;
  return db.changes() > 0;
}

Status change_load(Connection& db, const std::string& number, int64_t delta) {
  auto load =
      db.prepare(delta > 0 ? "UPDATE pool_numbers SET load = load + ?1 WHERE number = ?2 "
                             "AND load + ?1 <= capacity AND set_aside = 0"
                           : "UPDATE pool_numbers SET load = CASE WHEN load + ?1 < 0 THEN 0 "
                             "ELSE load + ?1 END WHERE number = ?2");
  if (!load) return load.status();
  (*load)->bind(1, delta).bind(2, number);
  if (Status status = (*load)->run(); !status) return status;
  // At its capacity, or set aside by a hotline that committed after this transaction chose
  // it: rerun, and choose again.
  if (delta > 0 && db.changes() != 1) {
    return Status::aborted(number + " is at its capacity or set aside");
  }
  return Status::ok();
}

}  // namespace mc::store::sql
