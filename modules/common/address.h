// "HOST[:PORT]" as users write it: host, host:port, [v6]:port, [v6], or a bare IPv6 literal
// (more than one colon and no brackets means no port).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wire/result.h"

namespace ruroco {

inline constexpr std::uint16_t kDefaultPort = 34020;

struct HostPort {
    std::string host;
    std::uint16_t port = kDefaultPort;
};

Result<HostPort> parse_host_port(std::string_view text, std::uint16_t default_port = kDefaultPort);
// A decimal port 1..65535.
Result<std::uint16_t> parse_port(std::string_view text);

}  // namespace ruroco
