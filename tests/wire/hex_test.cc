// Hex text for key ids and vectors.
#include "wire/hex.h"

#include <catch2/catch.hpp>

using namespace ruroco;
using namespace ruroco::wire;

TEST_CASE("hex round-trips; either case is read, lowercase is written", "[wire][hex]") {
    const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    CHECK(to_hex(bytes, 4) == "000fa0ff");
    CHECK(to_hex(bytes, 0).empty());
    Result<std::vector<std::uint8_t>> back = from_hex("000FA0ff");
    REQUIRE(back.ok());
    CHECK(*back == std::vector<std::uint8_t>(bytes, bytes + 4));
    CHECK(from_hex("")->empty());
}

TEST_CASE("odd lengths and non-hex digits are refused", "[wire][hex][negative]") {
    CHECK(from_hex("abc").error().find("odd length") != std::string::npos);
    for (const char* bad : {"0g", "zz", " 0", "0x00"}) {
        INFO(bad);
        CHECK_FALSE(from_hex(bad).ok());
    }
}
