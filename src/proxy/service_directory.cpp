#include "proxy/service_directory.h"

#include <openssl/sha.h>

#include "store/sql/rows.h"

namespace mc::proxy {
namespace {

using store::sql::Connection;
using store::sql::from_ms;
using store::sql::Statement;
using store::sql::to_ms;

// The Proxy API's code for a number that is not this service's to have.
constexpr int kNumberNotAvailable = 80601;

constexpr const char* kServiceColumns =
    "sid, unique_name, is_default, default_ttl, geo_match_level, number_selection_behavior, "
    "callback_url, intercept_callback_url, out_of_session_callback_url, chat_instance_sid, "
    "created_at, updated_at";

ServiceRecord read_service(const Statement& row) {
  ServiceRecord s;
  s.sid = row.column_text(0);
  s.unique_name = row.column_text(1);
  s.is_default = row.column_int(2) != 0;
  s.default_ttl = row.column_int(3);
  s.geo_match_level = row.column_text(4);
  s.number_selection_behavior = row.column_text(5);
  s.callback_url = row.column_optional_text(6);
  s.intercept_callback_url = row.column_optional_text(7);
  s.out_of_session_callback_url = row.column_optional_text(8);
  s.chat_instance_sid = row.column_optional_text(9);
  s.created_at = from_ms(row.column_int(10));
  s.updated_at = from_ms(row.column_int(11));
  return s;
}

// In use: the open sessions whose active participants hold the number.
constexpr const char* kNumberColumns =
    "number, number_sid, service_sid, friendly_name, country, capabilities, reserved, "
    "(SELECT count(DISTINCT session_id) FROM participants p WHERE p.proxy_number = "
    "pool_numbers.number AND p.active = 1), coalesce(service_added_at, created_at), created_at";

ServiceNumber read_number(const Statement& row) {
  ServiceNumber n;
  n.number = row.column_text(0);
  n.number_sid = row.column_text(1).empty() ? derived_number_sid(n.number) : row.column_text(1);
  n.service_sid = row.column_text(2);
  n.friendly_name = row.column_text(3).empty() ? n.number : row.column_text(3);
  n.country = row.column_text(4);
  n.capabilities = row.column_text(5);
  n.is_reserved = row.column_int(6) != 0;
  n.in_use = row.column_int(7);
  n.added_at = from_ms(row.column_int(8));
  n.updated_at = from_ms(row.column_int(9));
  return n;
}

Result<std::optional<ServiceRecord>> find_service(Connection& db, const std::string& sid) {
  auto statement =
      db.prepare(std::string("SELECT ") + kServiceColumns + " FROM proxy_services WHERE sid = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, sid);
  return (*statement)->first_as(read_service);
}

// The numbers of a service: the default one has every selectable-by-the-API number no
// other service has (hotlines' excluded); another has those marked with its SID.
struct NumbersOf {
  std::string where;
  std::optional<std::string> service_sid;  // bound first when set
};

Result<NumbersOf> numbers_of(Connection& db, const std::string& service_sid) {
  auto service = find_service(db, service_sid);
  if (!service) return service.status();
  if (!*service) return Status::not_found("no service " + service_sid, 20404);
  if ((*service)->is_default) {
    return NumbersOf{"service_sid IS NULL AND retired = 0 AND set_aside = 0", std::nullopt};
  }
  return NumbersOf{"service_sid = ? AND retired = 0", service_sid};
}

Status bind_service(Statement& s, const ServiceRecord& r) {
  s.bind(1, r.unique_name)
      .bind(2, r.default_ttl)
      .bind(3, r.geo_match_level)
      .bind(4, r.number_selection_behavior)
      .bind(5, r.callback_url)
      .bind(6, r.intercept_callback_url)
      .bind(7, r.out_of_session_callback_url)
      .bind(8, r.chat_instance_sid)
      .bind(9, to_ms(r.updated_at))
      .bind(10, r.sid);
  return Status::ok();
}

}  // namespace

std::string derived_number_sid(const std::string& number) { return derived_sid("PN", number); }

std::string derived_sid(std::string_view prefix, const std::string& key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string sid(prefix);
  for (int i = 0; i < 16; ++i) {
    sid += kHex[digest[i] >> 4];
    sid += kHex[digest[i] & 0xF];
  }
  return sid;
}

Result<std::string> ServiceDirectory::ensure_default(const std::string& new_sid, TimePoint now) {
  return runner_.write_with<std::string>([&](Connection& db) -> Result<std::string> {
    auto insert = db.prepare(
        "INSERT INTO proxy_services (sid, unique_name, is_default, created_at, updated_at) "
        "VALUES (?, 'default', 1, ?, ?) ON CONFLICT DO NOTHING");
    if (!insert) return insert.status();
    (*insert)->bind(1, new_sid).bind(2, to_ms(now)).bind(3, to_ms(now));
    if (Status s = (*insert)->run(); !s) return s;
    auto statement = db.prepare("SELECT sid FROM proxy_services WHERE is_default = 1");
    if (!statement) return statement.status();
    std::string sid;
    auto row = (*statement)->first([&](const Statement& r) { sid = r.column_text(0); });
    if (!row) return row.status();
    if (sid.empty()) {
      return Status::failed_precondition("a service named 'default' exists but is not the default");
    }
    return sid;
  });
}

Result<int64_t> ServiceDirectory::record_derived_sids() {
  return runner_.write_with<int64_t>([&](Connection& db) -> Result<int64_t> {
    auto unknown = db.prepare("SELECT number FROM pool_numbers WHERE number_sid = ''");
    if (!unknown) return unknown.status();
    auto numbers = (*unknown)->collect([](const Statement& row) { return row.column_text(0); });
    if (!numbers) return numbers.status();
    auto update = db.prepare("UPDATE pool_numbers SET number_sid = ? WHERE number = ?");
    if (!update) return update.status();
    for (const std::string& number : *numbers) {
      (*update)->bind(1, derived_number_sid(number)).bind(2, number);
      if (Status s = (*update)->run(); !s) return s;
    }
    return static_cast<int64_t>(numbers->size());
  });
}

Status ServiceDirectory::create(const ServiceRecord& r) {
  return runner_.write([&](Connection& db) -> Status {
    auto insert = db.prepare(
        "INSERT INTO proxy_services (unique_name, default_ttl, geo_match_level, "
        "number_selection_behavior, callback_url, intercept_callback_url, "
        "out_of_session_callback_url, chat_instance_sid, updated_at, sid, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.status();
    bind_service(**insert, r);
    (*insert)->bind(11, to_ms(r.created_at));
    return (*insert)->run();
  });
}

Result<std::optional<ServiceRecord>> ServiceDirectory::find(const std::string& sid) {
  return runner_.read_with<std::optional<ServiceRecord>>(
      [&](Connection& db) { return find_service(db, sid); });
}

Result<std::optional<ServiceRecord>> ServiceDirectory::service_of_number(
    const std::string& number) {
  return runner_.read_with<std::optional<ServiceRecord>>(
      [&](Connection& db) -> Result<std::optional<ServiceRecord>> {
        auto statement = db.prepare(
            std::string("SELECT ") + kServiceColumns +
            " FROM proxy_services WHERE sid IN (SELECT coalesce(n.service_sid, (SELECT d.sid "
            "FROM proxy_services d WHERE d.is_default = 1)) FROM pool_numbers n "
            "WHERE n.number = ? AND n.set_aside = 0)");
        if (!statement) return statement.status();
        (*statement)->bind(1, number);
        return (*statement)->first_as(read_service);
      });
}

Result<std::vector<ServiceRecord>> ServiceDirectory::list(size_t offset, size_t limit) {
  return runner_.read_with<std::vector<ServiceRecord>>(
      [&](Connection& db) -> Result<std::vector<ServiceRecord>> {
        auto statement =
            db.prepare(std::string("SELECT ") + kServiceColumns +
                       " FROM proxy_services ORDER BY created_at, sid LIMIT ? OFFSET ?");
        if (!statement) return statement.status();
        (*statement)->bind(1, static_cast<int64_t>(limit)).bind(2, static_cast<int64_t>(offset));
        return (*statement)->collect(read_service);
      });
}

Result<bool> ServiceDirectory::update(const ServiceRecord& r) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto update = db.prepare(
        "UPDATE proxy_services SET unique_name = ?, default_ttl = ?, geo_match_level = ?, "
        "number_selection_behavior = ?, callback_url = ?, intercept_callback_url = ?, "
        "out_of_session_callback_url = ?, chat_instance_sid = ?, updated_at = ? WHERE sid = ?");
    if (!update) return update.status();
    bind_service(**update, r);
    if (Status s = (*update)->run(); !s) return s;
    return db.changes() == 1;
  });
}

Result<bool> ServiceDirectory::remove(const std::string& sid) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto service = find_service(db, sid);
    if (!service) return service.status();
    if (!*service) return false;
    if ((*service)->is_default) {
      return Status::invalid_argument(
          "the default service holds the pool's numbers (NUMBER_POOL) and cannot be deleted");
    }
    auto drain =
        db.prepare("UPDATE pool_numbers SET service_sid = NULL, retired = 1 WHERE service_sid = ?");
    if (!drain) return drain.status();
    (*drain)->bind(1, sid);
    if (Status s = (*drain)->run(); !s) return s;
    // Its sessions (closed by the caller) are forgotten with it.
    for (const char* sql : {"DELETE FROM proxy_participants WHERE session_id IN "
                            "(SELECT session_id FROM proxy_sessions WHERE service_sid = ?)",
                            "DELETE FROM proxy_deleted_interactions WHERE session_id IN "
                            "(SELECT session_id FROM proxy_sessions WHERE service_sid = ?)",
                            "DELETE FROM proxy_sessions WHERE service_sid = ?",
                            "DELETE FROM proxy_services WHERE sid = ?"}) {
      auto remove = db.prepare(sql);
      if (!remove) return remove.status();
      (*remove)->bind(1, sid);
      if (Status s = (*remove)->run(); !s) return s;
    }
    return true;
  });
}

Status ServiceDirectory::add_number(const std::string& service_sid, const store::PoolNumber& n,
                                    bool is_reserved, TimePoint now) {
  return runner_.write([&](Connection& db) -> Status {
    auto service = find_service(db, service_sid);
    if (!service) return service.status();
    if (!*service) return Status::not_found("no service " + service_sid, 20404);
    const std::optional<std::string> target =
        (*service)->is_default ? std::nullopt : std::optional<std::string>(service_sid);
    auto current = db.prepare("SELECT service_sid, set_aside FROM pool_numbers WHERE number = ?");
    if (!current) return current.status();
    (*current)->bind(1, n.number);
    std::optional<std::pair<std::string, bool>> held;
    auto row = (*current)->first(
        [&](const Statement& r) { held.emplace(r.column_text(0), r.column_int(1) != 0); });
    if (!row) return row.status();
    if (held && held->second) {
      return Status::invalid_argument(n.number + " is a hotline's number", kNumberNotAvailable);
    }
    if (held && !held->first.empty() && held->first != service_sid) {
      return Status::invalid_argument(n.number + " belongs to another service",
                                      kNumberNotAvailable);
    }
    auto upsert = db.prepare(
        "INSERT INTO pool_numbers (number, country, area_code, region, capabilities, reserved, "
        "retired, capacity, load, created_at, service_sid, number_sid, friendly_name, "
        "service_added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, 0, ?8, ?9, ?10, ?11, ?8) "
        "ON CONFLICT (number) DO UPDATE SET reserved = ?6, retired = 0, service_sid = ?9, "
        "number_sid = CASE WHEN ?10 = '' THEN pool_numbers.number_sid ELSE ?10 END, "
        "friendly_name = CASE WHEN ?11 = '' THEN pool_numbers.friendly_name ELSE ?11 END, "
        "service_added_at = ?8");
    if (!upsert) return upsert.status();
    (*upsert)
        ->bind(1, n.number)
        .bind(2, n.country)
        .bind(3, n.area_code)
        .bind(4, n.region)
        .bind(5, n.capabilities)
        .bind(6, is_reserved ? 1 : 0)
        .bind(7, n.capacity)
        .bind(8, to_ms(now))
        .bind(9, target)
        .bind(10, n.number_sid)
        .bind(11, n.friendly_name);
    return (*upsert)->run();
  });
}

Result<std::optional<ServiceNumber>> ServiceDirectory::find_number(
    const std::string& service_sid, const std::string& sid_or_number) {
  return runner_.read_with<std::optional<ServiceNumber>>(
      [&](Connection& db) -> Result<std::optional<ServiceNumber>> {
        auto of = numbers_of(db, service_sid);
        if (!of) return of.status();
        // By number or stored SID; a SID derived for a number added since start-up
        // (record_derived_sids) is found among the numbers with none stored.
        for (const char* key : {"(number = ? OR number_sid = ?)", "number_sid = ''"}) {
          auto statement =
              db.prepare(std::string("SELECT ") + kNumberColumns + " FROM pool_numbers WHERE " +
                         of->where + " AND " + key + " ORDER BY number");
          if (!statement) return statement.status();
          int index = 1;
          if (of->service_sid) (*statement)->bind(index++, *of->service_sid);
          if (std::string_view(key) != "number_sid = ''") {
            (*statement)->bind(index, sid_or_number).bind(index + 1, sid_or_number);
          }
          auto numbers = (*statement)->collect(read_number);
          if (!numbers) return numbers.status();
          for (ServiceNumber& n : *numbers) {
            if (n.number == sid_or_number || n.number_sid == sid_or_number) {
              n.service_sid = service_sid;
              return std::optional<ServiceNumber>(std::move(n));
            }
          }
        }
        return std::optional<ServiceNumber>();
      });
}

Result<std::vector<ServiceNumber>> ServiceDirectory::list_numbers(const std::string& service_sid,
                                                                  size_t offset, size_t limit) {
  return runner_.read_with<std::vector<ServiceNumber>>(
      [&](Connection& db) -> Result<std::vector<ServiceNumber>> {
        auto of = numbers_of(db, service_sid);
        if (!of) return of.status();
        auto statement =
            db.prepare(std::string("SELECT ") + kNumberColumns + " FROM pool_numbers WHERE " +
                       of->where + " ORDER BY number LIMIT ? OFFSET ?");
        if (!statement) return statement.status();
        int index = 1;
        if (of->service_sid) (*statement)->bind(index++, *of->service_sid);
        (*statement)
            ->bind(index, static_cast<int64_t>(limit))
            .bind(index + 1, static_cast<int64_t>(offset));
        auto numbers = (*statement)->collect(read_number);
        if (!numbers) return numbers.status();
        for (ServiceNumber& n : *numbers) n.service_sid = service_sid;
        return numbers;
      });
}

Result<bool> ServiceDirectory::set_reserved(const std::string& service_sid,
                                            const std::string& number, bool is_reserved,
                                            TimePoint now) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto of = numbers_of(db, service_sid);
    if (!of) return of.status();
    auto update = db.prepare(
        "UPDATE pool_numbers SET reserved = ?, service_added_at = "
        "coalesce(service_added_at, ?) WHERE number = ? AND " +
        of->where);
    if (!update) return update.status();
    (*update)->bind(1, is_reserved ? 1 : 0).bind(2, to_ms(now)).bind(3, number);
    if (of->service_sid) (*update)->bind(4, *of->service_sid);
    if (Status s = (*update)->run(); !s) return s;
    return db.changes() == 1;
  });
}

Result<bool> ServiceDirectory::remove_number(const std::string& service_sid,
                                             const std::string& number) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto of = numbers_of(db, service_sid);
    if (!of) return of.status();
    auto drain =
        db.prepare("UPDATE pool_numbers SET retired = 1, service_sid = NULL WHERE number = ? AND " +
                   of->where);
    if (!drain) return drain.status();
    (*drain)->bind(1, number);
    if (of->service_sid) (*drain)->bind(2, *of->service_sid);
    if (Status s = (*drain)->run(); !s) return s;
    return db.changes() == 1;
  });
}

}  // namespace mc::proxy
