// Decimal text of the u128 counter, as state and counter files hold it.
#include "wire/decimal.h"

#include <catch2/catch.hpp>

using namespace ruroco::wire;

TEST_CASE("u128 decimal text round-trips and refuses overflow", "[wire][decimal]") {
    u128 max = ~static_cast<u128>(0);
    CHECK(u128_to_string(max) == "340282366920938463463374607431768211455");
    u128 back = 0;
    CHECK(u128_from_string("340282366920938463463374607431768211455", back));
    CHECK(back == max);
    CHECK(u128_from_string("1700000000123456789", back));
    CHECK(back == 1700000000123456789ull);
    CHECK(u128_to_string(0) == "0");
    CHECK(u128_to_string(static_cast<u128>(1) << 64) == "18446744073709551616");
}

TEST_CASE("u128 decimal text refuses anything but digits in range", "[wire][decimal][negative]") {
    u128 back = 0;
    for (const char* bad :
         {"340282366920938463463374607431768211456", "999999999999999999999999999999999999999999", "12a", "",
          "-1", "+1", " 1", "1 ", "0x10"}) {
        INFO(bad);
        CHECK_FALSE(u128_from_string(bad, back));
    }
}
