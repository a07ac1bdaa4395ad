// IP canonicalisation: see ip.h.
#include "wire/ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace ruroco::wire {

namespace {
constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}

bool Ip::is_zero() const {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

bool Ip::is_v4() const { return std::memcmp(bytes.data(), kMappedPrefix, 12) == 0; }

std::string Ip::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (is_v4()) {
        inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
    } else {
        inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
    }
    return text;
}

Ip Ip::from_v4(const std::uint8_t octets[4]) {
    Ip ip;
    std::memcpy(ip.bytes.data(), kMappedPrefix, 12);
    std::memcpy(ip.bytes.data() + 12, octets, 4);
    return ip;
}

Result<Ip> Ip::parse(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
        return make_error("not an IP address: '" + std::string(text) + "'");
    }
    std::string copy(text);
    std::uint8_t v4[4];
    if (inet_pton(AF_INET, copy.c_str(), v4) == 1) return from_v4(v4);
    Ip ip;
    if (inet_pton(AF_INET6, copy.c_str(), ip.bytes.data()) == 1) return ip;
    return make_error("not an IP address: '" + copy + "'");
}

Ip Ip::from_sockaddr(const sockaddr* addr) {
    if (addr->sa_family == AF_INET) {
        sockaddr_in in;
        std::memcpy(&in, addr, sizeof in);
        std::uint8_t octets[4];
        std::memcpy(octets, &in.sin_addr, 4);
        return from_v4(octets);
    }
    Ip ip;
    if (addr->sa_family == AF_INET6) {
        sockaddr_in6 in6;
        std::memcpy(&in6, addr, sizeof in6);
        std::memcpy(ip.bytes.data(), &in6.sin6_addr, kIpSize);
    }
    return ip;
}

}  // namespace ruroco::wire
