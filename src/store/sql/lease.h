// A connection borrowed from a pool for one unit of work, given back when the lease goes:
// what both backends' pools hand out. `Pool` has give_back(std::unique_ptr<Connection>)
// and names Lease<Connection, Pool> its friend.
#pragma once

#include <memory>

namespace mc::store::sql {

template <typename Connection, typename Pool>
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> connection)
      : pool_(&pool), connection_(std::move(connection)) {}
  Lease(Lease&&) = default;
  ~Lease() {
    if (connection_) pool_->give_back(std::move(connection_));
  }
  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace mc::store::sql
