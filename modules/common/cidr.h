// IP ranges for allow_from. An IPv4 range is stored as the IPv4-mapped range (prefix + 96),
// so it matches IPv4 clients whether they arrived on an IPv4 or a dual-stack socket.
#pragma once

#include <string_view>

#include "wire/ip.h"
#include "wire/result.h"

namespace ruroco {

struct Cidr {
    wire::Ip base;
    int prefix = 0;  // over the 128-bit canonical form

    bool contains(const wire::Ip& ip) const;
    static Result<Cidr> parse(std::string_view text);  // "a.b.c.d/n", "v6/n", or a bare address
};

}  // namespace ruroco
