// IP addresses as they cross every boundary: 16 bytes, IPv4 as IPv4-mapped IPv6
// (::ffff:a.b.c.d). One canonical form means a dual-stack socket, an IPv4 socket and the
// packet's own fields all compare with plain byte equality (PROTOCOL.md 2).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "wire/result.h"
#include "wire/sizes.h"

struct sockaddr;
struct sockaddr_storage;

namespace ruroco::wire {

struct Ip {
    std::array<std::uint8_t, kIpSize> bytes{};

    bool is_zero() const;
    bool is_v4() const;  // an IPv4-mapped address
    // The canonical text: dotted quad for IPv4 (mapped collapsed), RFC 5952 for IPv6.
    std::string to_string() const;

    static Ip from_v4(const std::uint8_t octets[4]);
    // Accepts "a.b.c.d" or an IPv6 literal (with or without [brackets]).
    static Result<Ip> parse(std::string_view text);
    // AF_INET and AF_INET6 only; anything else gives an all-zero address.
    static Ip from_sockaddr(const sockaddr* addr);

    friend bool operator==(const Ip&, const Ip&) = default;
};

}  // namespace ruroco::wire
