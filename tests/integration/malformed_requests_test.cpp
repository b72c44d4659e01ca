// The catalogue of malformed requests (issue 10): each one, sent through the real nginx to
// the real worker, gets a 4xx whose message names what is wrong, and none changes anything:
// no session, reservation, outbox item or conversation appears, and the existing session
// is untouched.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "harness/stack.h"
#include "store/store.h"
#include "suite_helpers.h"

namespace mc::testing {
namespace {

struct Malformed {
  std::string method;
  std::string path;
  std::string content_type;
  std::string body;
  int status;
  std::string says;  // a fragment of the error message (or of a text body)
};

const std::string kA = "\"+14155550111\"";
const std::string kB = "\"+14155550112\"";

// A POST /sessions body: the two addresses plus `extra` fields.
std::string with(const std::string& extra) {
  return "{\"addresses\": [" + kA + ", " + kB + "]" + (extra.empty() ? "" : ", " + extra) + "}";
}

std::vector<Malformed> catalogue(const std::string& pool_number) {
  const std::string json = "application/json";
  const std::string form = "application/x-www-form-urlencoded";
  const std::string deep = std::string(1001, '[') + std::string(1001, ']');
  return {
      // The body as a whole.
      {"POST", "/sessions", json, "", 400, "not valid JSON"},
      {"POST", "/sessions", json, "{", 400, "not valid JSON"},
      {"POST", "/sessions", json, "{\"addresses\": [" + kA + "]} trailing", 400, "not valid JSON"},
      {"POST", "/sessions", json, "[1, 2]", 400, "must be a JSON object"},
      {"POST", "/sessions", json, "\"text\"", 400, "not valid JSON"},  // strict: object or array
      {"POST", "/sessions", json, "null", 400, "not valid JSON"},
      {"POST", "/sessions", json, deep, 400, "nested more than"},
      {"POST", "/sessions", json, "{\"friendlyName\": \"\xff\xfe\"}", 400, "not valid UTF-8"},
      {"POST", "/sessions", json, R"({"friendlyName": "\udc00"})", 400, "not valid UTF-8"},
      {"POST", "/sessions", form, "addresses=%2B14155550111", 400, "must be JSON"},
      {"POST", "/sessions", "text/plain", with(""), 400, "must be JSON"},
      {"POST", "/sessions", "", with(""), 400, "must be JSON"},
      // addresses.
      {"POST", "/sessions", json, "{}", 400, "addresses is required"},
      {"POST", "/sessions", json, R"({"addresses": "+14155550111"})", 400, "must be an array"},
      {"POST", "/sessions", json, R"({"addresses": []})", 400, "1 to 50"},
      {"POST", "/sessions", json, R"({"addresses": [14155550111]})", 400, "only strings"},
      {"POST", "/sessions", json, R"({"addresses": [null]})", 400, "only strings"},
      {"POST", "/sessions", json, R"({"addresses": ["not a number"]})", 400, "addresses"},
      {"POST", "/sessions", json, R"({"addresses": ["+1"]})", 400, "addresses"},
      {"POST", "/sessions", json, R"({"addresses": ["+999999999999999999"]})", 400, "addresses"},
      {"POST", "/sessions", json, "{\"addresses\": [" + kA + ", " + kA + "]}", 400, "listed twice"},
      {"POST", "/sessions", json, "{\"addresses\": [\"" + pool_number + "\"]}", 400,
       "number of the proxy pool"},
      {"POST", "/sessions", json,
       [] {
         std::string many = "{\"addresses\": [";
         for (int i = 0; i < 51; ++i)
           many += (i ? ",\"+1415555" : "\"+1415555") + std::to_string(2000 + i) + "\"";
         return many + "]}";
       }(),
       400, "1 to 50"},
      // Each other field.
      {"POST", "/sessions", json, with(R"("colour": "blue")"), 400, "unknown field 'colour'"},
      {"POST", "/sessions", json, with(R"("friendlyName": 42)"), 400, "friendlyName must be"},
      {"POST", "/sessions", json, with("\"friendlyName\": \"" + std::string(300, 'x') + "\""), 400,
       "longer than 256"},
      {"POST", "/sessions", json, with(R"("uniqueName": 7)"), 400, "uniqueName must be"},
      {"POST", "/sessions", json, with(R"("uniqueName": "..")"), 400, "uniqueName must be"},
      {"POST", "/sessions", json, with(R"("uniqueName": "a b")"), 400, "uniqueName must be"},
      {"POST", "/sessions", json, with(R"("uniqueName": "a/b")"), 400, "uniqueName must be"},
      {"POST", "/sessions", json, with(R"("uniqueName": "a\nb")"), 400, "uniqueName must be"},
      {"POST", "/sessions", json, with(R"("uniqueName": "")"), 400, "uniqueName must be"},
      {"POST", "/sessions", json, with("\"uniqueName\": \"" + std::string(200, 'u') + "\""), 400,
       "uniqueName must be"},
      {"POST", "/sessions", json, with(R"("uniqueName": "CH00000000000000000000000000000000")"),
       400, "Conversation SID"},
      {"POST", "/sessions", json, with(R"("attributes": "{oops")"), 400, "attributes must be"},
      {"POST", "/sessions", json, with(R"("attributes": 5)"), 400, "attributes must be"},
      {"POST", "/sessions", json, with(R"("messagingServiceSid": "MG1")"), 400,
       "messagingServiceSid must be"},
      {"POST", "/sessions", json,
       with(R"("messagingServiceSid": "MGzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")"), 400,
       "messagingServiceSid must be"},
      {"POST", "/sessions", json, with(R"("state": "closed")"), 400, "state must be"},
      {"POST", "/sessions", json, with(R"("timers": "PT1H")"), 400, "timers must be"},
      {"POST", "/sessions", json, with(R"("timers": {"soon": "PT5M"})"), 400, "unknown timer"},
      {"POST", "/sessions", json, with(R"("timers": {"closed": "PT5M"})"), 400,
       "timers.closed must be"},
      {"POST", "/sessions", json, with(R"("timers": {"inactive": "1 hour"})"), 400,
       "timers.inactive must be"},
      {"POST", "/sessions", json, with(R"("timers.closed": "P1Y")"), 400, "timers.closed must be"},
      {"POST", "/sessions", json, with(R"("dateCreated": "yesterday")"), 400,
       "dateCreated must be"},
      {"POST", "/sessions", json, with(R"("dateUpdated": "2025-02-31T00:00:00Z")"), 400,
       "dateUpdated must be"},
      {"POST", "/sessions", json, with(R"("bindings": 1)"), 400, "bindings must be"},
      {"POST", "/sessions", json, with(R"("bindings": {"email": {"name": 7}})"), 400,
       "bindings.email.name must be"},
      {"POST", "/sessions", json, with(R"("xTwilioWebhookEnabled": "maybe")"), 400,
       "xTwilioWebhookEnabled must be"},
      {"POST", "/sessions", json, with(R"("mode": "fax")"), 400, "mode must be"},
      {"POST", "/sessions", json, with(R"("ttl": -5)"), 400, "ttl must be"},
      {"POST", "/sessions", json, with(R"("ttl": 1.5)"), 400, "ttl must be"},
      {"POST", "/sessions", json, with(R"("ttl": 1e19)"), 400, "ttl must be"},
      {"POST", "/sessions", json, with(R"("ttl": "soon")"), 400, "ttl must be"},
      {"POST", "/sessions", json, with(R"("dateExpiry": "2020-01-01T00:00:00Z")"), 400,
       "dateExpiry must be in the future"},
      {"POST", "/sessions", json, with(R"("dateExpiry": "2611-06-22T08:21:38Z")"), 400,
       "dateExpiry must be an ISO 8601 date-time before 2200"},
      {"POST", "/sessions", json, with(R"("voice": true)"), 400, "voice must be"},
      {"POST", "/sessions", json, with(R"("voice": {"record": "yes"})"), 400,
       "voice.record must be"},
      {"POST", "/sessions", json, with(R"("voice": {"timeLimit": 1e19})"), 400,
       "voice.timeLimit must be"},
      {"POST", "/sessions", json, with(R"("voice": {"ringTimeout": 1})"), 400,
       "voice.ringTimeout must be"},
      {"POST", "/sessions", json, with(R"("voice": {"volume": 11})"), 400, "unknown voice option"},
      {"POST", "/sessions", json, with(R"("proxyAddresses": [])"), 400, "proxyAddresses must"},
      {"POST", "/sessions", json, with(R"("proxyAddresses": {"+14155550111": 5})"), 400,
       "proxyAddresses must"},
      {"POST", "/sessions", json, with(R"("proxyAddresses": {"+14155550199": "+14155550100"})"),
       400, "is not in addresses"},
      {"POST", "/sessions", json, with(R"("proxyAddresses": {"+14155550111": "+19995550100"})"),
       400, "is not a number of the pool"},
      // Reading and listing.
      {"GET", "/sessions?status=sleeping", "", "", 400, "status must be one of"},
      {"GET", "/sessions?pageSize=0", "", "", 400, "pageSize must be"},
      {"GET", "/sessions?pageSize=101", "", "", 400, "pageSize must be"},
      {"GET", "/sessions?pageSize=ten", "", "", 400, "pageSize must be"},
      {"GET", "/sessions?pageToken=garbage", "", "", 400, "page"},
      {"GET", "/sessions/KCnone", "", "", 404, "no session KCnone"},
      {"DELETE", "/sessions/KCnone", "", "", 404, "no session KCnone"},
      {"GET", "/sessions/CH00000000000000000000000000000099", "", "", 404, "no session"},
      {"GET", "/sessions/KCnone/calls", "", "", 404, "KCnone"},
      {"PUT", "/sessions", json, with(""), 405, "not allowed"},
      {"PATCH", "/sessions/KCnone", json, "{}", 405, "not allowed"},
      {"GET", "/nothing-here", "", "", 404, "no such resource"},
      // Too big: refused before it is read.
      {"POST", "/sessions", json, with("\"friendlyName\": \"" + std::string(300000, 'x') + "\""),
       413, "over the limit"},
      // Webhooks without a valid signature, whatever their body.
      {"POST", "/inbound-call", json, deep, 403, "Validation Failed"},
      {"POST", "/inbound-call", form, "From=%2B14155550111&To=%2B14155550100", 403,
       "Validation Failed"},
      {"POST", "/call-status", form, "CallSid=CA1&CallStatus=completed", 403, "Validation Failed"},
      {"POST", "/conversations-post-event", form,
       "EventType=onConversationRemoved&ConversationSid=CH1", 403, "Validation Failed"},
  };
}

struct LedgerSnapshot {
  std::vector<std::string> sessions;  // id + status, in list order
  int load = 0;
  int64_t outbox = 0;
  bool operator==(const LedgerSnapshot&) const = default;
};

LedgerSnapshot snapshot(Stack& stack) {
  auto ledger = stack.open_ledger();
  LedgerSnapshot out;
  const auto page = ledger->list_sessions("", 100, "");
  const auto numbers = ledger->pool_numbers();
  const auto outbox = ledger->outbox_size();
  BOOST_REQUIRE(page.is_ok() && numbers.is_ok() && outbox.is_ok());
  for (const store::SessionRecord& s : page->sessions)
    out.sessions.push_back(s.id + ":" + s.status);
  for (const store::PoolNumber& n : *numbers) out.load += n.load;
  out.outbox = *outbox;
  return out;
}

BOOST_AUTO_TEST_SUITE(malformed_requests)

BOOST_AUTO_TEST_CASE(each_gets_a_4xx_naming_the_problem_and_changes_nothing) {
  Stack stack(StackOptions().sandboxed({"--number-count", "6"}));
  const Json::Value existing = create_session(stack, {"+14155550121", "+14155550122"});
  const std::string id = existing["uniqueName"].asString();
  // Let the background fetch of participant SIDs finish first: it is not ours to count.
  BOOST_REQUIRE(wait_until([&] { return snapshot(stack).outbox == 0; }, std::chrono::seconds(10)));
  const LedgerSnapshot before = snapshot(stack);
  const std::vector<Malformed> cases = catalogue(stack.numbers().at(0));
  BOOST_TEST(cases.size() >= 60u);
  for (const Malformed& c : cases) {
    const std::string label = c.method + " " + c.path + " " + c.body.substr(0, 80);
    auto response = stack.request(c.method, c.path, c.body, c.content_type);
    BOOST_REQUIRE_MESSAGE(response.is_ok(), label);
    BOOST_TEST(response->status == c.status, label << " -> " << response->body.substr(0, 200));
    BOOST_TEST(response->status >= 400);
    BOOST_TEST(response->status < 500);
    std::string said = response->body;
    Json::Value error;
    std::string parse_error;
    if (parse_json_text(response->body, &error, &parse_error) && error.isObject()) {
      said = error["message"].asString();
      BOOST_TEST(error["status"].asInt() == c.status, label);
      BOOST_TEST(error["code"].asInt() >= 20000, label);  // a stable API code, not the status
    }
    BOOST_TEST(said.find(c.says) != std::string::npos, label << " said: " << said.substr(0, 200));
  }
  BOOST_TEST((snapshot(stack) == before));
  // The 413, answered by the transport before any route saw it, is counted too.
  auto metrics = stack.request("GET", "/metrics", "", "", false);
  BOOST_REQUIRE(metrics.is_ok());
  BOOST_TEST(metrics->body.find("mc_http_requests_total{route=\"transport\",status=\"413\"} 1") !=
                 std::string::npos,
             metrics->body.substr(0, 2000));
  BOOST_TEST(get_session(stack, id)["status"].asString() == "open");
  auto conversations = stack.sandbox().rest("GET", "/conversations/v1/Conversations", {});
  BOOST_REQUIRE(conversations.is_ok());
  BOOST_TEST(json_body(*conversations)["conversations"].size() == 1u);
  // Every page still parses as JSON (no raw invalid UTF-8 was stored or echoed).
  auto page = stack.request("GET", "/sessions");
  BOOST_REQUIRE(page.is_ok());
  BOOST_TEST(json_body(*page)["sessions"].size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mc::testing
