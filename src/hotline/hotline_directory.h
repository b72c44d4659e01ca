// The hotlines and their members, in the ledger. A hotline holds one pool number, set aside
// in the same transaction (pool_numbers.set_aside) so selection never gives it to a
// session; deleting the hotline gives it back. Deleted hotlines keep their rows (their call
// and thread logs still name them) but are found by neither id nor number.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hotline/hotline_records.h"
#include "store/sql/runner.h"

namespace mc::hotline {

class HotlineDirectory {
 public:
  explicit HotlineDirectory(store::sql::Runner& runner) : runner_(runner) {}

  // Sets the number aside and writes the hotline with its members, or writes nothing:
  // INVALID_ARGUMENT naming the problem when the number is not in the pool, is retired, is
  // already a hotline's, or is held by a session.
  Status create(const HotlineRecord& hotline);
  Result<std::optional<HotlineRecord>> find(const std::string& id);
  Result<std::optional<HotlineRecord>> find_by_number(const std::string& number);
  Result<std::vector<HotlineRecord>> list();
  // Replaces name and settings; false when there is no such hotline.
  Result<bool> update(const std::string& id, const std::string& name, const std::string& settings,
                      TimePoint now);
  // Marks it deleted and returns its number to the pool; false when there is no such hotline.
  Result<bool> remove(const std::string& id, TimePoint now);

  // Members. add_member: CONFLICT when the address is a member already; false when there
  // is no such hotline. update_member: name and paused as given (nullopt keeps them).
  Result<bool> add_member(const std::string& hotline_id, const Member& member);
  Result<bool> update_member(const std::string& hotline_id, const std::string& address,
                             const std::optional<std::string>& name, std::optional<bool> paused);
  Result<bool> remove_member(const std::string& hotline_id, const std::string& address);

 private:
  store::sql::Runner& runner_;
};

}  // namespace mc::hotline
