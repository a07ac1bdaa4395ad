// INI value parsers: see ini_values.h.
#include "modules/common/ini_values.h"

namespace ruroco {

std::string trim_blanks(std::string_view text) {
    size_t b = text.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return "";
    size_t e = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(b, e - b + 1));
}

Result<std::uint32_t> parse_uint_value(std::string_view key, std::string_view value,
                                       std::uint32_t min, std::uint32_t max) {
    std::string range = std::to_string(min) + " to " + std::to_string(max);
    if (value.empty() || value.size() > 10 ||
        value.find_first_not_of("0123456789") != std::string_view::npos) {
        return make_error(std::string(key) + " = '" + std::string(value) +
                          "': expected a whole number from " + range);
    }
    unsigned long long n = std::stoull(std::string(value));
    if (n < min || n > max) {
        return make_error(std::string(key) + " = " + std::string(value) + ": out of range " + range);
    }
    return static_cast<std::uint32_t>(n);
}

Result<std::vector<std::string>> parse_list_value(std::string_view key, std::string_view value) {
    std::vector<std::string> items;
    size_t start = 0;
    for (;;) {
        size_t comma = value.find(',', start);
        std::string item = trim_blanks(value.substr(start, comma == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : comma - start));
        if (item.empty()) return make_error(std::string(key) + ": empty item in the list");
        items.push_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

Result<std::string> parse_path_value(std::string_view key, std::string_view value) {
    if (value.empty() || value.front() != '/') {
        return make_error(std::string(key) + " = '" + std::string(value) +
                          "': expected an absolute path");
    }
    return std::string(value);
}

}  // namespace ruroco
