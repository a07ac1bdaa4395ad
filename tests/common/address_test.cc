// HOST[:PORT] as users type it, and ports in 1..65535.
#include "modules/common/address.h"

#include <catch2/catch.hpp>

using namespace ruroco;

namespace {

HostPort hp(const char* text, std::uint16_t default_port = kDefaultPort) {
    Result<HostPort> r = parse_host_port(text, default_port);
    INFO(text);
    REQUIRE(r.ok());
    return *r;
}

}  // namespace

TEST_CASE("host, host:port, [v6]:port, [v6] and a bare IPv6 literal", "[common][address]") {
    CHECK(kDefaultPort == 34020);
    HostPort a = hp("web1.example.com");
    CHECK(a.host == "web1.example.com");
    CHECK(a.port == 34020);
    HostPort b = hp("web1.example.com:5000");
    CHECK(b.host == "web1.example.com");
    CHECK(b.port == 5000);
    HostPort c = hp("203.0.113.9:1");
    CHECK(c.host == "203.0.113.9");
    CHECK(c.port == 1);
    HostPort d = hp("[2001:db8::1]:65535");
    CHECK(d.host == "2001:db8::1");
    CHECK(d.port == 65535);
    HostPort e = hp("[::1]");
    CHECK(e.host == "::1");
    CHECK(e.port == 34020);
    HostPort f = hp("2001:db8::1");
    CHECK(f.host == "2001:db8::1");
    CHECK(f.port == 34020);
    HostPort g = hp("::1", 7);
    CHECK(g.host == "::1");
    CHECK(g.port == 7);
    HostPort h = hp("host", 9);
    CHECK(h.port == 9);
}

TEST_CASE("bad ports and malformed addresses are refused", "[common][address][negative]") {
    for (const char* bad : {"host:0", "host:65536", "host:abc", "host:", "host:-1", "host:99999999",
                            "[::1]:0", "[::1]:65536", "[::1]:", "[::1]x", "[::1", "[]:5", ":5", ""}) {
        INFO(bad);
        Result<HostPort> r = parse_host_port(bad);
        CHECK_FALSE(r.ok());
    }
    Result<HostPort> r = parse_host_port("host:65536");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("65536") != std::string::npos);
    CHECK(r.error().find("1 to 65535") != std::string::npos);
}

TEST_CASE("parse_port takes 1..65535 in decimal only", "[common][address]") {
    CHECK(*parse_port("1") == 1);
    CHECK(*parse_port("34020") == 34020);
    CHECK(*parse_port("65535") == 65535);
    for (const char* bad : {"0", "65536", "", "abc", "+1", " 1", "1 ", "0x10", "100000"}) {
        INFO(bad);
        CHECK_FALSE(parse_port(bad).ok());
    }
}
