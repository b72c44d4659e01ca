// The Conversations operations the session lifecycle needs, behind an interface so the
// session service is unit-tested with an in-memory fake and runs against Twilio (or the
// sandbox) through TwilioClient.
#pragma once

#include <json/value.h>

#include <string>
#include <utility>
#include <vector>

#include "core/params.h"
#include "core/status.h"

namespace mc::twilio {

// An SMS participant: the person's address, the proxy number they talk to, and the
// participant's Attributes (JSON text; empty sends none).
struct Binding {
  std::string address;
  std::string proxy_address;
  std::string attributes;
};

// Twilio error codes the session lifecycle reacts to.
namespace error {
inline constexpr int kConversationNotFound = 20404;
inline constexpr int kUniqueNameTaken = 50353;
inline constexpr int kPairInUse = 50416;
inline constexpr int kPairInUseMulti = 50425;
inline constexpr int kParticipantExists = 50437;
inline constexpr int kConversationClosed = 50377;
}  // namespace error

class ConversationsApi {
 public:
  virtual ~ConversationsApi() = default;
  // POST /v1/ConversationWithParticipants with up to 10 bindings; the conversation JSON.
  virtual Result<Json::Value> create_conversation(const Params& conversation,
                                                  const std::vector<Binding>& bindings,
                                                  bool webhooks_enabled) = 0;
  // GET /v1/Conversations/{sid or unique name}; NOT_FOUND when there is none.
  virtual Result<Json::Value> fetch_conversation(const std::string& sid_or_unique_name) = 0;
  // POST /v1/Conversations/{sid}/Participants; the participant JSON.
  virtual Result<Json::Value> add_participant(const std::string& conversation_sid,
                                              const Binding& binding) = 0;
  // Every participant (paging followed).
  virtual Result<std::vector<Json::Value>> list_participants(
      const std::string& conversation_sid) = 0;
  // DELETE /v1/Conversations/{sid}/Participants/{participant}; one that no longer exists
  // (or whose conversation does not) counts as removed.
  virtual Status remove_participant(const std::string& conversation_sid,
                                    const std::string& participant_sid) = 0;
  // DELETE; a conversation that no longer exists counts as deleted.
  virtual Status delete_conversation(const std::string& sid_or_unique_name) = 0;
  // POST State=closed; a conversation that no longer exists counts as closed.
  virtual Status close_conversation(const std::string& sid_or_unique_name) = 0;
};

}  // namespace mc::twilio
