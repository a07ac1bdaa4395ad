// The 24-byte commander message (PROTOCOL.md 6): hash big-endian at 0, IP at 8, and every
// malformed message refused with the reason.
#include "wire/commander_message.h"

#include <array>
#include <catch2/catch.hpp>

#include "wire/hex.h"

using namespace ruroco;
using namespace ruroco::wire;

TEST_CASE("the commander message lays out hash then IP", "[wire][commander]") {
    CommanderMessageBytes b = encode_commander_message({0x0102030405060708ull, *Ip::parse("203.0.113.9")});
    REQUIRE(b.size() == 24);
    CHECK(to_hex(b.data(), 8) == "0102030405060708");
    CHECK(to_hex(b.data() + 8, 16) == "00000000000000000000ffffcb007109");
    CommanderMessageBytes v6 = encode_commander_message({1, *Ip::parse("2001:db8::42")});
    CHECK(to_hex(v6.data(), 24) == "000000000000000120010db8000000000000000000000042");
}

TEST_CASE("hand-built message bytes decode to their fields", "[wire][commander]") {
    std::array<std::uint8_t, 24> b{};
    b[0] = 0xfe;
    b[7] = 0xa2;
    b[8 + 10] = 0xff;
    b[8 + 11] = 0xff;
    b[8 + 12] = 10;
    b[8 + 15] = 7;
    Result<CommanderMessage> m = decode_commander_message(b.data(), b.size());
    REQUIRE(m.ok());
    CHECK(m->cmd_hash == 0xfe000000000000a2ull);
    CHECK(m->ip.to_string() == "10.0.0.7");
}

TEST_CASE("a message of any other size is refused, naming the size", "[wire][commander][negative]") {
    std::array<std::uint8_t, 64> big{};
    CommanderMessageBytes good =
        encode_commander_message({0x5aea07630f1c6490ull, *Ip::parse("2001:db8::42")});
    std::copy(good.begin(), good.end(), big.begin());
    REQUIRE(decode_commander_message(big.data(), 24).ok());
    for (std::size_t size :
         {std::size_t{0}, std::size_t{1}, std::size_t{23}, std::size_t{25}, std::size_t{64}}) {
        INFO(size);
        Result<CommanderMessage> r = decode_commander_message(big.data(), size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("of " + std::to_string(size) + " bytes") != std::string::npos);
        CHECK(r.error().find("expected 24") != std::string::npos);
    }
}

TEST_CASE("a message with an all-zero IP is refused", "[wire][commander][negative]") {
    CommanderMessageBytes zero_ip = encode_commander_message({0x5aea07630f1c6490ull, Ip{}});
    Result<CommanderMessage> r = decode_commander_message(zero_ip.data(), zero_ip.size());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("all-zero IP") != std::string::npos);
    // The IPv4 "any" address is mapped, so not all zeros: the server never names it, but the
    // commander's own check here is only the all-zero one.
    CommanderMessageBytes v4_any = encode_commander_message({1, *Ip::parse("0.0.0.0")});
    CHECK(decode_commander_message(v4_any.data(), v4_any.size()).ok());
}
