// The conversations module: Twilio Conversations' post-event webhook.
//
//   POST /conversations-post-event   (signed by Twilio; anything else gets 403)
//     onConversationStateUpdated with StateTo=closed, or onConversationUpdated with
//     State=closed (what masked-communications-app checks): the session is closed, its
//     numbers released and the conversation deleted (MC_CLOSED_CONVERSATION_ACTION).
//     Answers "<CH...> deleted" (or "closed"), as masked-communications-app does.
//     onMessageAdded: the session's last interaction moves (its TTL counts from there) and
//     it becomes in-progress. Answers "processed".
//     Anything else, or a conversation that is not ours: "not processed".
//
// Configure it at Twilio as the post-event URL https://DOMAIN/conversations-post-event
// with the filters onConversationStateUpdated, onConversationUpdated, onMessageAdded.
// Configuration keys: none of its own.
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_conversations_module();

}  // namespace mc::modules
