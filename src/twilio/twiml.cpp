#include "twilio/twiml.h"

namespace mc::twilio {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 has no place for control characters other than tab and line breaks, not
        // even as character references.
        if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        if (byte == 0x7F) break;
        out += c;
    }
  }
  return out;
}

void Twiml::open(std::string_view name, const XmlAttributes& attributes) {
  body_ += '<';
  body_ += name;
  for (const auto& [key, value] : attributes) {
    if (value.empty()) continue;
    body_ += ' ';
    body_ += key;
    body_ += "=\"";
    body_ += xml_escape(value);
    body_ += '"';
  }
  body_ += '>';
}

Twiml& Twiml::say(std::string_view text, const XmlAttributes& attributes) {
  open("Say", attributes);
  body_ += xml_escape(text);
  body_ += "</Say>";
  return *this;
}

Twiml& Twiml::message(std::string_view text) {
  body_ += "<Message>" + xml_escape(text) + "</Message>";
  return *this;
}

Twiml& Twiml::hangup() {
  body_ += "<Hangup/>";
  return *this;
}

Twiml& Twiml::reject() {
  body_ += "<Reject/>";
  return *this;
}

Twiml& Twiml::redirect(std::string_view url) {
  open("Redirect", {{"method", "POST"}});
  body_ += xml_escape(url);
  body_ += "</Redirect>";
  return *this;
}

Twiml& Twiml::dial_number(const XmlAttributes& dial, std::string_view number,
                          const XmlAttributes& number_attributes) {
  open("Dial", dial);
  open("Number", number_attributes);
  body_ += xml_escape(number);
  body_ += "</Number></Dial>";
  return *this;
}

Twiml& Twiml::dial_conference(const XmlAttributes& dial, std::string_view room,
                              const XmlAttributes& conference_attributes) {
  open("Dial", dial);
  open("Conference", conference_attributes);
  body_ += xml_escape(room);
  body_ += "</Conference></Dial>";
  return *this;
}

Twiml& Twiml::gather(const XmlAttributes& gather, std::string_view prompt,
                     const XmlAttributes& say_attributes) {
  open("Gather", gather);
  say(prompt, say_attributes);
  body_ += "</Gather>";
  return *this;
}

Twiml& Twiml::record(const XmlAttributes& attributes) {
  open("Record", attributes);
  body_.back() = '/';
  body_ += '>';
  return *this;
}

std::string Twiml::document() const {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + body_ + "</Response>";
}

}  // namespace mc::twilio
