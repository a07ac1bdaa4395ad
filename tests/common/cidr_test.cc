// allow_from ranges: IPv4 ranges match IPv4 clients in their mapped form, edges of the prefix
// lengths, and bad ranges refused.
#include "modules/common/cidr.h"

#include <catch2/catch.hpp>

using namespace ruroco;

namespace {

wire::Ip ip(const char* text) {
    return *wire::Ip::parse(text);
}
Cidr cidr(const char* text) {
    Result<Cidr> c = Cidr::parse(text);
    REQUIRE(c.ok());
    return *c;
}

}  // namespace

TEST_CASE("an IPv4 range matches IPv4 clients, which travel mapped", "[common][cidr]") {
    Cidr net = cidr("192.168.0.0/16");
    CHECK(net.prefix == 96 + 16);
    CHECK(net.contains(ip("192.168.4.5")));
    CHECK(net.contains(ip("::ffff:192.168.255.255")));
    CHECK_FALSE(net.contains(ip("192.169.0.0")));
    CHECK_FALSE(net.contains(ip("10.0.0.1")));
    // An IPv6 address whose low 32 bits look like the range is not an IPv4 client.
    CHECK_FALSE(net.contains(ip("::192.168.4.5")));
    CHECK_FALSE(net.contains(ip("2001:db8::c0a8:405")));
}

TEST_CASE("0.0.0.0/0 is every IPv4 client and no IPv6 one; ::/0 is everything", "[common][cidr]") {
    Cidr v4all = cidr("0.0.0.0/0");
    CHECK(v4all.contains(ip("1.2.3.4")));
    CHECK(v4all.contains(ip("255.255.255.255")));
    CHECK_FALSE(v4all.contains(ip("2001:db8::1")));
    Cidr all = cidr("::/0");
    CHECK(all.prefix == 0);
    for (const char* text :
         {"::", "::1", "1.2.3.4", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}) {
        INFO(text);
        CHECK(all.contains(ip(text)));
    }
}

TEST_CASE("/32 and /128 match exactly one address; a bare address is the same", "[common][cidr]") {
    Cidr one4 = cidr("203.0.113.9/32");
    CHECK(one4.contains(ip("203.0.113.9")));
    CHECK_FALSE(one4.contains(ip("203.0.113.8")));
    CHECK_FALSE(one4.contains(ip("203.0.113.10")));
    Cidr bare4 = cidr("203.0.113.9");
    CHECK(bare4.prefix == one4.prefix);
    CHECK_FALSE(bare4.contains(ip("203.0.113.10")));

    Cidr one6 = cidr("2001:db8::1/128");
    CHECK(one6.contains(ip("2001:db8::1")));
    CHECK_FALSE(one6.contains(ip("2001:db8::")));
    CHECK_FALSE(one6.contains(ip("2001:db8::3")));
    CHECK(cidr("2001:db8::1").prefix == 128);
}

TEST_CASE("prefixes that are not a whole byte cut at the right bit", "[common][cidr]") {
    Cidr net = cidr("10.0.0.128/25");
    CHECK(net.contains(ip("10.0.0.128")));
    CHECK(net.contains(ip("10.0.0.255")));
    CHECK_FALSE(net.contains(ip("10.0.0.127")));
    Cidr v6 = cidr("2001:db8::/33");
    CHECK(v6.contains(ip("2001:db8:7fff::1")));
    CHECK_FALSE(v6.contains(ip("2001:db8:8000::1")));
}

TEST_CASE("bad ranges are refused with the text named", "[common][cidr][negative]") {
    for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x",
                            "10.0.0.0/1000", "/8", "web1/8", "10.0.0/8", "", "10.0.0.0/ 8"}) {
        INFO(bad);
        Result<Cidr> c = Cidr::parse(bad);
        REQUIRE_FALSE(c.ok());
        CHECK(c.error().find("bad IP range '" + std::string(bad) + "'") != std::string::npos);
    }
}
