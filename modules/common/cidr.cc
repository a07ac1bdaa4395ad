// IP range matching: see cidr.h.
#include "modules/common/cidr.h"

#include <string>

namespace ruroco {

bool Cidr::contains(const wire::Ip& ip) const {
    int bits = prefix;
    for (std::size_t i = 0; i < ip.bytes.size() && bits > 0; ++i, bits -= 8) {
        unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
        if ((ip.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
    }
    return true;
}

Result<Cidr> Cidr::parse(std::string_view text) {
    std::string whole(text);
    size_t slash = text.find('/');
    Result<wire::Ip> ip = wire::Ip::parse(text.substr(0, slash));
    if (!ip) return make_error("bad IP range '" + whole + "': " + ip.error());
    Cidr cidr;
    cidr.base = *ip;
    int max_bits = ip->is_v4() ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
        std::string_view digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            digits.find_first_not_of("0123456789") != std::string_view::npos) {
            return make_error("bad IP range '" + whole + "': prefix length is not a number");
        }
        bits = std::stoi(std::string(digits));
        if (bits > max_bits) {
            return make_error("bad IP range '" + whole + "': prefix longer than " +
                              std::to_string(max_bits));
        }
    }
    cidr.prefix = ip->is_v4() ? bits + 96 : bits;
    return cidr;
}

}  // namespace ruroco
