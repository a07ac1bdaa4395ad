// Decimal text of the 128-bit counter (up to 39 digits), for state and counter files.
#pragma once

#include <string>

#include "wire/bytes.h"

namespace ruroco::wire {

std::string u128_to_string(u128 value);
// Digits only, no sign or blanks, no overflow; false otherwise.
bool u128_from_string(const std::string& text, u128& out);

}  // namespace ruroco::wire
