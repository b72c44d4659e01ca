// Reads a TwiML document into TwimlNodes, for the sandbox's call playback (and for tests
// that compare TwiML structurally rather than as strings).
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "model.h"

namespace mc::sandbox {

// The verbs under <Response>, in order. Errors: not XML, or a root other than <Response>.
Result<std::vector<TwimlNode>> read_twiml(std::string_view document);

// The whole document as one node (the <Response> element itself).
Result<TwimlNode> read_twiml_document(std::string_view document);

}  // namespace mc::sandbox
