// IP canonical form: IPv4 as IPv4-mapped IPv6, compared by bytes, printed as a dotted quad.
#include "wire/ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "wire/hex.h"

using namespace ruroco::wire;

TEST_CASE("IPv4 travels as IPv4-mapped IPv6 and prints back as a dotted quad", "[wire][ip]") {
    Ip ip = *Ip::parse("203.0.113.9");
    CHECK(to_hex(ip.bytes.data(), 16) == "00000000000000000000ffffcb007109");
    CHECK(ip.is_v4());
    CHECK(ip.to_string() == "203.0.113.9");
    CHECK(*Ip::parse("::ffff:203.0.113.9") == ip);
    CHECK(Ip::parse("::ffff:203.0.113.9")->to_string() == "203.0.113.9");
}

TEST_CASE("an IPv4 client is the same on an IPv4 and on a dual-stack socket", "[wire][ip]") {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
    sockaddr_in6 mapped{};
    mapped.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &mapped.sin6_addr);
    Ip a = Ip::from_sockaddr(reinterpret_cast<sockaddr*>(&v4));
    Ip b = Ip::from_sockaddr(reinterpret_cast<sockaddr*>(&mapped));
    CHECK(a == b);
    CHECK(a.to_string() == "127.0.0.1");
}

TEST_CASE("IPv6 prints canonically; all zeros means none", "[wire][ip]") {
    CHECK(Ip::parse("2001:0db8:0000:0000:0000:0000:0000:0042")->to_string() == "2001:db8::42");
    CHECK(Ip::parse("[::1]")->to_string() == "::1");
    CHECK(Ip{}.is_zero());
    CHECK_FALSE(Ip::parse("::1")->is_zero());
    CHECK_FALSE(Ip::parse("::1")->is_v4());
}

TEST_CASE("not an IP is an error naming the text", "[wire][ip][negative]") {
    for (const char* bad : {"", "example.com", "1.2.3", "256.1.1.1", "::g", "1.2.3.4/24"}) {
        auto r = Ip::parse(bad);
        CHECK_FALSE(r.ok());
        if (!r.ok()) CHECK(r.error().find("not an IP address") != std::string::npos);
    }
}

TEST_CASE("IPv6 text is RFC 5952: lowercase, longest zero run, no lone zero compressed", "[wire][ip]") {
    CHECK(Ip::parse("2001:DB8::A")->to_string() == "2001:db8::a");
    CHECK(Ip::parse("2001:db8:0:0:1:0:0:1")->to_string() == "2001:db8::1:0:0:1");
    CHECK(Ip::parse("2001:db8:0:0:1:0:0:0")->to_string() == "2001:db8:0:0:1::");
    CHECK(Ip::parse("2001:db8:0:1:1:1:1:1")->to_string() == "2001:db8:0:1:1:1:1:1");
    CHECK(Ip::parse("::")->to_string() == "::");
    CHECK(Ip::parse("2001:db8::ffff:1")->to_string() == "2001:db8::ffff:1");
}

TEST_CASE("a mapped address in hex form is the same IPv4 address", "[wire][ip]") {
    Ip hex_form = *Ip::parse("::ffff:cb00:7109");
    CHECK(hex_form == *Ip::parse("203.0.113.9"));
    CHECK(hex_form.to_string() == "203.0.113.9");
    const std::uint8_t octets[4] = {203, 0, 113, 9};
    CHECK(Ip::from_v4(octets) == hex_form);
    // 0.0.0.0 is mapped, so it is not the "none claimed" all-zero value.
    CHECK_FALSE(Ip::parse("0.0.0.0")->is_zero());
    CHECK(Ip::parse("0.0.0.0")->is_v4());
    CHECK_FALSE(Ip{}.is_v4());
    CHECK(Ip{}.to_string() == "::");
    // IPv4-compatible (deprecated) and NAT64 forms are IPv6, not IPv4.
    CHECK_FALSE(Ip::parse("::203.0.113.9")->is_v4());
    CHECK_FALSE(Ip::parse("64:ff9b::203.0.113.9")->is_v4());
}

TEST_CASE("from_sockaddr takes IPv6 as is and anything else as all zeros", "[wire][ip]") {
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "2001:db8::5", &v6.sin6_addr);
    Ip a = Ip::from_sockaddr(reinterpret_cast<sockaddr*>(&v6));
    CHECK(a == *Ip::parse("2001:db8::5"));
    CHECK_FALSE(a.is_v4());

    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    inet_pton(AF_INET, "203.0.113.9", &v4.sin_addr);
    Ip b = Ip::from_sockaddr(reinterpret_cast<sockaddr*>(&v4));
    CHECK(to_hex(b.bytes.data(), 16) == "00000000000000000000ffffcb007109");

    sockaddr_storage unix_addr{};
    unix_addr.ss_family = AF_UNIX;
    CHECK(Ip::from_sockaddr(reinterpret_cast<sockaddr*>(&unix_addr)).is_zero());
}
