// ledger-fill DATABASE SESSIONS [CAPACITY]: a benchmark ledger (DATABASE: a SQLite path or a
// PostgreSQL URL) (see ledger_fixture.h); prints the
// pool as a NUMBER_POOL JSON array on stdout.
#include <cstdio>
#include <cstdlib>

#include "ledger_fixture.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PATH SESSIONS [CAPACITY]\n", argv[0]);
    return 2;
  }
  mc::pool::Geography geography;
  const auto pool = mc::bench::bench_pool(geography, argc > 3 ? std::atoi(argv[3]) : 1000);
  if (auto s = mc::bench::fill_ledger(argv[1], pool, std::atoi(argv[2])); !s) {
    std::fprintf(stderr, "%s\n", s.to_string().c_str());
    return 1;
  }
  std::printf("[");
  for (size_t i = 0; i < pool.size(); ++i)
    std::printf("%s\"%s\"", i ? "," : "", pool[i].number.c_str());
  std::printf("]\n");
  return 0;
}
