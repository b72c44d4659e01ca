// Internal to the hotline module: which hotline, if any, a call or text to a pool number is
// for. Shared by the call path and the texts.
#pragma once

#include <optional>
#include <string>

#include "hotline/hotline_directory.h"

namespace mc::modules::hotline {

// The hotline holding `number`; nullopt when none does, or when the ledger could not say
// (logged): the call or text then goes the way of any other to that number.
std::optional<mc::hotline::HotlineRecord> hotline_at(mc::hotline::HotlineDirectory& directory,
                                                     const std::string& number);

}  // namespace mc::modules::hotline
