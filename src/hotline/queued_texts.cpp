#include "hotline/queued_texts.h"

#include "messages/text_sender.h"
#include "store/sql/outbox_queries.h"

namespace mc::hotline {

Status queue_texts(store::sql::Connection& db, const std::vector<OutgoingText>& texts,
                   TimePoint now) {
  for (const OutgoingText& t : texts) {
    if (Status s = store::sql::enqueue_outbox(
            db, messages::kSendSms,
            messages::send_sms_payload(t.from, t.to, t.body, t.status_callback), now);
        !s) {
      return s;
    }
  }
  return Status::ok();
}

}  // namespace mc::hotline
