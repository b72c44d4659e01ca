// The conversations module: Twilio Conversations' post-event webhook.
//
//   POST /conversations-post-event   (signed by Twilio; anything else gets 403)
//     onConversationStateUpdated with StateTo=closed, or onConversationUpdated with
//     State=closed (what masked-communications-app checks): the session is closed, its
//     numbers released and the conversation deleted (MC_CLOSED_CONVERSATION_ACTION).
//     Answers "<CH...> deleted" (or "closed"), as masked-communications-app does.
//     onMessageAdded: the session's last interaction moves (its TTL counts from there), it
//     becomes in-progress, and the message joins the log. Answers "processed".
//     onDeliveryUpdated: a recipient's receipt joins the logged message.
//     Anything else, or a conversation that is not ours: "not processed".
//   POST /conversations-pre-event    (signed) onMessageAdd: content rules and opt-out
//     keywords (message_webhooks.h); 200 delivers, 200 + {"body"} redacts, 403 blocks.
//   POST /inbound-sms                (signed) texts outside any session: the optional
//     auto-reply as TwiML, never relayed.
//
// Configure at Twilio (maskctl configure does): the post-event URL
// https://DOMAIN/conversations-post-event and the pre-event URL
// https://DOMAIN/conversations-pre-event with the filters onConversationStateUpdated,
// onConversationUpdated, onConversationRemoved, onMessageAdded, onDeliveryUpdated and
// onMessageAdd; every pool number's SmsUrl https://DOMAIN/inbound-sms.
// Configuration keys: messages/messages_config.h (MC_MESSAGE_*, OUT_OF_SESSION_MESSAGE_FOR_SMS).
#pragma once

#include <memory>

#include "core/module.h"

namespace mc::modules {

std::unique_ptr<Module> make_conversations_module();

}  // namespace mc::modules
