// Hex text for key ids and test vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wire/result.h"

namespace ruroco::wire {

std::string to_hex(const std::uint8_t* data, std::size_t size);
Result<std::vector<std::uint8_t>> from_hex(std::string_view text);

}  // namespace ruroco::wire
