// Writing TwiML: the voice and SMS webhooks' answers. Every text and attribute value is escaped,
// and characters XML 1.0 cannot carry at all are dropped, so the document is always well-formed
// whatever an announcement or a caller's data contains.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc::twilio {

// Attributes in the order written; pairs with an empty value are left out.
using XmlAttributes = std::vector<std::pair<std::string, std::string>>;

class Twiml {
 public:
  // <Say voice=".." language="..">text</Say>
  Twiml& say(std::string_view text, const XmlAttributes& attributes = {});
  Twiml& hangup();
  // <Reject/>: the call is refused without being answered (the caller hears busy).
  Twiml& reject();
  // <Redirect method="POST">url</Redirect>: Twilio requests `url` for what to do next,
  // with the call's parameters (signed as any webhook).
  Twiml& redirect(std::string_view url);
  // <Message>text</Message>: the reply to an inbound SMS.
  Twiml& message(std::string_view text);
  // <Dial ...><Number ...>number</Number></Dial>
  Twiml& dial_number(const XmlAttributes& dial, std::string_view number,
                     const XmlAttributes& number_attributes = {});
  // <Dial ...><Conference ...>room</Conference></Dial>
  Twiml& dial_conference(const XmlAttributes& dial, std::string_view room,
                         const XmlAttributes& conference_attributes = {});

  // <Gather ...><Say>prompt</Say></Gather>: digits pressed go to the Gather's action.
  Twiml& gather(const XmlAttributes& gather, std::string_view prompt,
                const XmlAttributes& say_attributes = {});
  // <Record .../>: the caller's message; the recording goes to the Record's action.
  Twiml& record(const XmlAttributes& attributes);

  // The document: <?xml version="1.0" encoding="UTF-8"?><Response>...</Response>
  std::string document() const;

 private:
  void open(std::string_view name, const XmlAttributes& attributes);
  std::string body_;
};

// Escapes & < > " ' and drops characters not allowed in XML 1.0.
std::string xml_escape(std::string_view text);

}  // namespace mc::twilio
