#include "store/sql/connection.h"

namespace mc::store::sql {

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

std::optional<int64_t> Statement::column_optional_int(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_int(index);
}

Status Statement::run() {
  while (true) {
    Result<bool> row = step();
    if (!row) return row.status();
    if (!*row) {
      reset();
      return Status::ok();
    }
  }
}

Status Statement::each(const std::function<void(const Statement&)>& row) {
  while (true) {
    Result<bool> more = step();
    if (!more) return more.status();
    if (!*more) break;
    row(*this);
  }
  reset();
  return Status::ok();
}

Result<bool> Statement::first(const std::function<void(const Statement&)>& row) {
  Result<bool> found = step();
  if (found && *found) row(*this);
  reset();
  return found;
}

}  // namespace mc::store::sql
