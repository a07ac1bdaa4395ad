// Value parsers shared by every INI file: whole numbers in a range, comma lists, paths.
// Each returns a message that names the key; the caller adds file:line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wire/result.h"

namespace ruroco {

std::string trim_blanks(std::string_view text);
Result<std::uint32_t> parse_uint_value(std::string_view key, std::string_view value,
                                       std::uint32_t min, std::uint32_t max);
// "a, b ,c" -> {"a","b","c"}; empty items are an error.
Result<std::vector<std::string>> parse_list_value(std::string_view key, std::string_view value);
// A non-empty absolute path.
Result<std::string> parse_path_value(std::string_view key, std::string_view value);

}  // namespace ruroco
