#include "ledger_fixture.h"

#include <cstdio>
#include <filesystem>
#include <map>

#include "core/config.h"
#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "store/store_config.h"

namespace mc::bench {
namespace {

const std::vector<std::string> kAreaCodes = {
    "415", "212", "312", "206", "617", "303", "512", "213", "305", "404", "602", "702", "503",
    "801", "612", "314", "615", "704", "919", "202", "215", "412", "216", "313", "414", "317",
    "614", "513", "816", "504", "210", "713", "214", "916", "619", "808", "907", "505", "406",
    "307", "605", "701", "208", "775", "401", "603", "802", "207", "718", "646"};

std::string number(const std::string& area, int exchange, int line) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "+1%s%03d%04d", area.c_str(), exchange, line);
  return buffer;
}

}  // namespace

std::string person(int k) {
  const int index = k / static_cast<int>(kAreaCodes.size());
  return number(kAreaCodes[static_cast<size_t>(k) % kAreaCodes.size()], 200 + index / 10000,
                index % 10000);
}

std::vector<store::PoolNumber> bench_pool(const pool::Geography& geography, int capacity) {
  std::vector<store::PoolNumber> pool;
  for (const std::string& area : kAreaCodes) {
    for (int line = 0; line < 100; ++line) {
      auto info = geography.describe(number(area, 555, 100 + line));
      store::PoolNumber n;
      n.number = info ? info->e164 : number(area, 555, 100 + line);
      n.country = info ? info->country : "US";
      n.area_code = info ? info->area_code : area;
      n.region = info ? info->region : "";
      n.capacity = capacity;
      pool.push_back(n);
    }
  }
  return pool;
}

const std::string& proxy_of(const std::vector<store::PoolNumber>& pool, int k) {
  const size_t area = static_cast<size_t>(k) % kAreaCodes.size();
  return pool[area * 100 + static_cast<size_t>(k / static_cast<int>(kAreaCodes.size())) % 100]
      .number;
}

Status fill_ledger(const std::string& database, const std::vector<store::PoolNumber>& pool,
                   int sessions) {
  Environment env{{"MC_DATABASE", database}};
  auto config = store::load_store_config(env);
  if (!config) return config.status();
  const bool postgres = config->backend == store::StoreConfig::Backend::kPostgres;
  if (!postgres) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(database + suffix);
  }
  {
    auto store = store::open_store(*config);  // migrations
    if (!store) return store.status();
    if (Status s = (*store)->sync_pool(pool, true); !s) return s;
  }
  std::unique_ptr<store::sql::Connection> db;
  if (postgres) {
    store::postgres::ConnectOptions options;
    options.url = database;
    options.statement_timeout = std::chrono::minutes(10);
    auto opened = store::postgres::Connection::open(options);
    if (!opened) return opened.status();
    db = std::move(opened).value();
  } else {
    auto opened = store::sqlite::Connection::open(database, std::chrono::seconds(5));
    if (!opened) return opened.status();
    db = std::move(opened).value();
  }
  store::sql::Connection& connection = *db;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int batch = 20000;
  std::map<std::string, int64_t> loads;
  for (int first = 0; first < sessions; first += batch) {
    if (Status s = connection.exec("BEGIN"); !s) return s;
    for (int s = first; s < std::min(sessions, first + batch); ++s) {
      auto session = connection.prepare(
          "INSERT INTO sessions (id, status, mode, created_at, updated_at) VALUES (?, 'open', "
          "'voice-and-message', ?, ?)");
      if (!session) return session.status();
      const std::string id = "KCbench" + std::to_string(s);
      (*session)->bind(1, id).bind(2, now).bind(3, now);
      if (Status st = (*session)->run(); !st) return st;
      for (int side = 0; side < 2; ++side) {
        const int k = s * 2 + side;
        auto participant = connection.prepare(
            "INSERT INTO participants (session_id, address, proxy_number, active, created_at) "
            "VALUES (?, ?, ?, 1, ?)");
        if (!participant) return participant.status();
        (*participant)->bind(1, id).bind(2, person(k)).bind(3, proxy_of(pool, k)).bind(4, now);
        if (Status st = (*participant)->run(); !st) return st;
        ++loads[proxy_of(pool, k)];
      }
    }
    if (Status s = connection.exec("COMMIT"); !s) return s;
    if ((first / batch) % 10 == 0) {
      std::fprintf(stderr, "\rfilling the ledger: %d of %d sessions", first + batch, sessions);
    }
  }
  std::fprintf(stderr, "\rfilling the ledger: %d sessions                          \n", sessions);
  if (Status s = connection.exec("BEGIN"); !s) return s;
  for (const auto& [number, load] : loads) {
    auto update = connection.prepare("UPDATE pool_numbers SET load = ? WHERE number = ?");
    if (!update) return update.status();
    (*update)->bind(1, load).bind(2, number);
    if (Status s = (*update)->run(); !s) return s;
  }
  return connection.exec("COMMIT");
}

}  // namespace mc::bench
