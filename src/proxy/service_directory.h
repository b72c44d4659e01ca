// The Proxy API's Services and their numbers, in the ledger. There is always one default
// service (ensure_default): it holds every pool number no other service has, which is where
// NUMBER_POOL's numbers and the sessions of POST /sessions live. A number belongs to at
// most one service. Removing a number from a service drains it: it is retired (no new
// session gets it; sessions holding it keep it) and belongs to the default service again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "proxy/proxy_records.h"
#include "store/records.h"
#include "store/sql/runner.h"

namespace mc::proxy {

class ServiceDirectory {
 public:
  explicit ServiceDirectory(store::sql::Runner& runner) : runner_(runner) {}

  // Creates the default service once (any number of workers may ask at once); its SID.
  Result<std::string> ensure_default(const std::string& new_sid, TimePoint now);

  // Stores the derived SID (derived_number_sid) of every pool number whose SID at Twilio
  // is not known, so lookups by SID use the key; start-up, after the pool is loaded. How
  // many it stored.
  Result<int64_t> record_derived_sids();

  // CONFLICT when the unique name is taken.
  Status create(const ServiceRecord& service);
  Result<std::optional<ServiceRecord>> find(const std::string& sid);
  // The service a pool number belongs to (the default one for a number no other service
  // has); none for a number outside the pool or set aside (a hotline's).
  Result<std::optional<ServiceRecord>> service_of_number(const std::string& number);
  // Oldest first; `offset` rows skipped, at most `limit`.
  Result<std::vector<ServiceRecord>> list(size_t offset, size_t limit);
  // Writes every field but sid, is_default and created_at; false when there is no such
  // service; CONFLICT when the new unique name is taken.
  Result<bool> update(const ServiceRecord& service);
  // Deletes a service that is not the default; its numbers go back to the default service,
  // drained, and its Proxy sessions' rows are forgotten (close them first). False when there
  // is no such service.
  Result<bool> remove(const std::string& sid);

  // Numbers. add_number: the pool number (added to the pool when it is not in it: `number`
  // from Twilio's IncomingPhoneNumbers) joins `service_sid`; INVALID_ARGUMENT when another
  // service has it or a hotline does.
  Status add_number(const std::string& service_sid, const store::PoolNumber& number,
                    bool is_reserved, TimePoint now);
  // `sid_or_number`: the PN... SID or the E.164 number.
  Result<std::optional<ServiceNumber>> find_number(const std::string& service_sid,
                                                   const std::string& sid_or_number);
  Result<std::vector<ServiceNumber>> list_numbers(const std::string& service_sid, size_t offset,
                                                  size_t limit);
  Result<bool> set_reserved(const std::string& service_sid, const std::string& number,
                            bool is_reserved, TimePoint now);
  Result<bool> remove_number(const std::string& service_sid, const std::string& number);

 private:
  store::sql::Runner& runner_;
};

// The PN... SID a number shows when Twilio's is not known (NUMBER_POOL gives numbers, not
// SIDs): "PN" and 32 hex digits of a hash of the number, the same on every host and start.
std::string derived_number_sid(const std::string& number);
// `prefix` and 32 hex digits of a hash of `key`: the SID of a resource read from the ledger
// rather than stored (an Interaction's, from its message or call).
std::string derived_sid(std::string_view prefix, const std::string& key);

}  // namespace mc::proxy
