// Host and port parsing: see address.h.
#include "modules/common/address.h"

#include <algorithm>

namespace ruroco {

Result<std::uint16_t> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return make_error("bad port '" + std::string(text) + "': expected a number from 1 to 65535");
    }
    unsigned long value = std::stoul(std::string(text));
    if (value < 1 || value > 65535) {
        return make_error("bad port '" + std::string(text) + "': expected a number from 1 to 65535");
    }
    return static_cast<std::uint16_t>(value);
}

Result<HostPort> parse_host_port(std::string_view text, std::uint16_t default_port) {
    HostPort result;
    result.port = default_port;
    std::string whole(text);
    if (text.empty()) return make_error("empty address");
    if (text.front() == '[') {
        size_t close = text.find(']');
        if (close == std::string_view::npos || close == 1) {
            return make_error("bad address '" + whole + "': expected [IPv6]:PORT");
        }
        result.host = std::string(text.substr(1, close - 1));
        std::string_view rest = text.substr(close + 1);
        if (rest.empty()) return result;
        if (rest.front() != ':') return make_error("bad address '" + whole + "': expected [IPv6]:PORT");
        Result<std::uint16_t> port = parse_port(rest.substr(1));
        if (!port) return make_error("bad address '" + whole + "': " + port.error());
        result.port = *port;
        return result;
    }
    size_t colons = static_cast<size_t>(std::count(text.begin(), text.end(), ':'));
    if (colons > 1) {  // a bare IPv6 literal: no port can be told apart from it
        result.host = whole;
        return result;
    }
    if (colons == 1) {
        size_t colon = text.find(':');
        result.host = std::string(text.substr(0, colon));
        if (result.host.empty()) return make_error("bad address '" + whole + "': no host");
        Result<std::uint16_t> port = parse_port(text.substr(colon + 1));
        if (!port) return make_error("bad address '" + whole + "': " + port.error());
        result.port = *port;
        return result;
    }
    result.host = whole;
    return result;
}

}  // namespace ruroco
