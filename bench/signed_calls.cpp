// signed-calls URL TOKEN SESSIONS COUNT [FIRST]: writes COUNT voice webhooks for wrk, one a
// line: "<form body> <X-Twilio-Signature>", each a distinct call (CallSids FIRST+1 ..
// FIRST+COUNT, so runs given different FIRSTs never replay each other's calls) from a ledger
// person to their proxy number, signed exactly as Twilio signs them for URL. wrk's Lua
// cannot compute HMAC-SHA1, so the signatures are made here.
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/params.h"
#include "ledger_fixture.h"
#include "twilio/signature.h"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s URL TOKEN SESSIONS COUNT [FIRST]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1], token = argv[2];
  const int sessions = std::atoi(argv[3]), count = std::atoi(argv[4]);
  const long long first = argc > 5 ? std::atoll(argv[5]) : 0;
  mc::pool::Geography geography;
  const auto pool = mc::bench::bench_pool(geography, 1000);
  std::mt19937_64 random(7 + static_cast<uint64_t>(first));
  for (int i = 0; i < count; ++i) {
    const int k = static_cast<int>(random() % static_cast<uint64_t>(sessions * 2));
    char sid[40];
    std::snprintf(sid, sizeof sid, "CA%032llx", first + i + 1);
    const std::string from = mc::bench::person(k), to = mc::bench::proxy_of(pool, k);
    const mc::Params params = {{"AccountSid", "AC00000000000000000000000000000000"},
                               {"ApiVersion", "2010-04-01"},
                               {"CallSid", sid},
                               {"CallStatus", "ringing"},
                               {"Called", to},
                               {"Caller", from},
                               {"Direction", "inbound"},
                               {"From", from},
                               {"To", to}};
    std::printf("%s %s\n", mc::encode_form(params).c_str(),
                mc::twilio::compute_signature(token, url, params).c_str());
  }
  return 0;
}
