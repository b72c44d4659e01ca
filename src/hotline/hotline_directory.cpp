#include "hotline/hotline_directory.h"

#include "store/sql/rows.h"

namespace mc::hotline {
namespace {

using store::sql::Connection;
using store::sql::from_ms;
using store::sql::Statement;
using store::sql::to_ms;

constexpr const char* kHotlineColumns = "id, number, name, settings, created_at, updated_at";

HotlineRecord read_hotline(const Statement& row) {
  HotlineRecord h;
  h.id = row.column_text(0);
  h.number = row.column_text(1);
  h.name = row.column_text(2);
  h.settings = row.column_text(3);
  h.created_at = from_ms(row.column_int(4));
  h.updated_at = from_ms(row.column_int(5));
  return h;
}

Status read_members(Connection& db, HotlineRecord& hotline) {
  auto statement = db.prepare(
      "SELECT address, name, paused, created_at FROM hotline_members WHERE hotline_id = ? "
      "ORDER BY created_at, address");
  if (!statement) return statement.status();
  (*statement)->bind(1, hotline.id);
  auto members = (*statement)->collect([](const Statement& row) {
    return Member{row.column_text(0), row.column_text(1), row.column_int(2) != 0,
                  from_ms(row.column_int(3))};
  });
  if (!members) return members.status();
  hotline.members = std::move(members).value();
  return Status::ok();
}

Result<std::optional<HotlineRecord>> find_where(Connection& db, const std::string& column,
                                                const std::string& value) {
  auto statement = db.prepare(std::string("SELECT ") + kHotlineColumns + " FROM hotlines WHERE " +
                              column + " = ? AND deleted_at IS NULL");
  if (!statement) return statement.status();
  (*statement)->bind(1, value);
  auto found = (*statement)->first_as(read_hotline);
  if (found && *found) {
    if (Status s = read_members(db, **found); !s) return s;
  }
  return found;
}

Status insert_member(Connection& db, const std::string& hotline_id, const Member& m) {
  auto insert = db.prepare(
      "INSERT INTO hotline_members (hotline_id, address, name, paused, created_at) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  (*insert)
      ->bind(1, hotline_id)
      .bind(2, m.address)
      .bind(3, m.name)
      .bind(4, m.paused ? 1 : 0)
      .bind(5, to_ms(m.created_at));
  return (*insert)->run();
}

// Why `number` could not be set aside, read after the conditional UPDATE changed nothing.
Status why_not_set_aside(Connection& db, const std::string& number) {
  auto statement = db.prepare("SELECT retired, set_aside, load FROM pool_numbers WHERE number = ?");
  if (!statement) return statement.status();
  (*statement)->bind(1, number);
  std::string why = number + " is not in the pool";
  auto row = (*statement)->first([&](const Statement& r) {
    if (r.column_int(1) != 0) {
      why = number + " is already a hotline's number";
    } else if (r.column_int(0) != 0) {
      why = number + " is retired from the pool";
    } else {
      why = number + " holds " + std::to_string(r.column_int(2)) +
            " session participants; a hotline needs a number no session uses";
    }
  });
  if (!row) return row.status();
  return Status::invalid_argument(why);
}

// The conditional UPDATE is the claim on the number: a session taking it in the same
// instant either committed first (load > 0: refused here) or is refused at its own load
// update (set_aside = 1: it reruns and chooses another).
Status set_aside(Connection& db, const std::string& number) {
  auto update = db.prepare(
      "UPDATE pool_numbers SET set_aside = 1 WHERE number = ? AND set_aside = 0 AND retired = 0 "
      "AND load = 0");
  if (!update) return update.status();
  (*update)->bind(1, number);
  if (Status s = (*update)->run(); !s) return s;
  return db.changes() == 1 ? Status::ok() : why_not_set_aside(db, number);
}

}  // namespace

Status HotlineDirectory::create(const HotlineRecord& h) {
  return runner_.write([&](Connection& db) -> Status {
    if (Status s = set_aside(db, h.number); !s) return s;
    auto insert = db.prepare(
        "INSERT INTO hotlines (id, number, name, settings, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!insert) return insert.status();
    (*insert)
        ->bind(1, h.id)
        .bind(2, h.number)
        .bind(3, h.name)
        .bind(4, h.settings)
        .bind(5, to_ms(h.created_at))
        .bind(6, to_ms(h.updated_at));
    if (Status s = (*insert)->run(); !s) return s;
    for (const Member& m : h.members) {
      if (Status s = insert_member(db, h.id, m); !s) return s;
    }
    return Status::ok();
  });
}

Result<std::optional<HotlineRecord>> HotlineDirectory::find(const std::string& id) {
  return runner_.read_with<std::optional<HotlineRecord>>(
      [&](Connection& db) { return find_where(db, "id", id); });
}

Result<std::optional<HotlineRecord>> HotlineDirectory::find_by_number(const std::string& number) {
  return runner_.read_with<std::optional<HotlineRecord>>(
      [&](Connection& db) { return find_where(db, "number", number); });
}

Result<std::vector<HotlineRecord>> HotlineDirectory::list() {
  return runner_.read_with<std::vector<HotlineRecord>>(
      [&](Connection& db) -> Result<std::vector<HotlineRecord>> {
        auto statement =
            db.prepare(std::string("SELECT ") + kHotlineColumns +
                       " FROM hotlines WHERE deleted_at IS NULL ORDER BY created_at, id");
        if (!statement) return statement.status();
        auto hotlines = (*statement)->collect(read_hotline);
        if (!hotlines) return hotlines.status();
        for (HotlineRecord& h : *hotlines) {
          if (Status s = read_members(db, h); !s) return s;
        }
        return hotlines;
      });
}

Result<bool> HotlineDirectory::update(const std::string& id, const std::string& name,
                                      const std::string& settings, TimePoint now) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto update = db.prepare(
        "UPDATE hotlines SET name = ?, settings = ?, updated_at = ? WHERE id = ? AND "
        "deleted_at IS NULL");
    if (!update) return update.status();
    (*update)->bind(1, name).bind(2, settings).bind(3, to_ms(now)).bind(4, id);
    if (Status s = (*update)->run(); !s) return s;
    return db.changes() == 1;
  });
}

Result<bool> HotlineDirectory::remove(const std::string& id, TimePoint now) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto found = find_where(db, "id", id);
    if (!found) return found.status();
    if (!*found) return false;
    auto mark = db.prepare("UPDATE hotlines SET deleted_at = ? WHERE id = ?");
    if (!mark) return mark.status();
    (*mark)->bind(1, to_ms(now)).bind(2, id);
    if (Status s = (*mark)->run(); !s) return s;
    auto give_back = db.prepare("UPDATE pool_numbers SET set_aside = 0 WHERE number = ?");
    if (!give_back) return give_back.status();
    (*give_back)->bind(1, (*found)->number);
    if (Status s = (*give_back)->run(); !s) return s;
    return true;
  });
}

Result<bool> HotlineDirectory::add_member(const std::string& hotline_id, const Member& member) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto found = find_where(db, "id", hotline_id);
    if (!found) return found.status();
    if (!*found) return false;
    if (Status s = insert_member(db, hotline_id, member); !s) return s;
    return true;
  });
}

Result<bool> HotlineDirectory::update_member(const std::string& hotline_id,
                                             const std::string& address,
                                             const std::optional<std::string>& name,
                                             std::optional<bool> paused) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto update = db.prepare(
        "UPDATE hotline_members SET name = coalesce(?, name), paused = coalesce(?, paused) "
        "WHERE hotline_id = ? AND address = ?");
    if (!update) return update.status();
    std::optional<int64_t> paused_flag;
    if (paused) paused_flag = *paused ? 1 : 0;
    (*update)->bind(1, name).bind(2, paused_flag).bind(3, hotline_id).bind(4, address);
    if (Status s = (*update)->run(); !s) return s;
    return db.changes() == 1;
  });
}

Result<bool> HotlineDirectory::remove_member(const std::string& hotline_id,
                                             const std::string& address) {
  return runner_.write_with<bool>([&](Connection& db) -> Result<bool> {
    auto remove = db.prepare("DELETE FROM hotline_members WHERE hotline_id = ? AND address = ?");
    if (!remove) return remove.status();
    (*remove)->bind(1, hotline_id).bind(2, address);
    if (Status s = (*remove)->run(); !s) return s;
    return db.changes() == 1;
  });
}

}  // namespace mc::hotline
