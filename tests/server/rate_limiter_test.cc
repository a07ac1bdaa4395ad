// The token buckets of step 2: burst = rate, refill with time, the global bucket shared by every
// source, and a table that never grows however many sources a spoofed flood invents.
#include "modules/server/rate_limiter.h"

#include <catch2/catch.hpp>
#include <cstdint>

using namespace ruroco;

namespace {

constexpr std::uint64_t kSecond = 1000000000ull;
constexpr std::uint64_t kStart = 1700000000ull * kSecond;

wire::Ip v4(std::uint32_t n) {
    std::uint8_t octets[4] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                              static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    return wire::Ip::from_v4(octets);
}

}  // namespace

TEST_CASE("a source gets a burst of rate_per_ip, then is refused", "[server][rate]") {
    RateLimiter limiter(3, 1000, 64);
    wire::Ip a = v4(0x0a000001);
    CHECK(limiter.allow(a, kStart));
    CHECK(limiter.allow(a, kStart));
    CHECK(limiter.allow(a, kStart));
    CHECK_FALSE(limiter.allow(a, kStart));
    CHECK_FALSE(limiter.allow(a, kStart));
    // Another source has its own bucket.
    CHECK(limiter.allow(v4(0x0a000002), kStart));
}

TEST_CASE("tokens come back at rate_per_ip per second, never beyond the burst", "[server][rate]") {
    RateLimiter limiter(2, 1000, 64);
    wire::Ip a = v4(0x0a000001);
    REQUIRE(limiter.allow(a, kStart));
    REQUIRE(limiter.allow(a, kStart));
    REQUIRE_FALSE(limiter.allow(a, kStart));
    // Half a second at 2/s is one token.
    CHECK_FALSE(limiter.allow(a, kStart + kSecond / 2 - 1));
    CHECK(limiter.allow(a, kStart + kSecond / 2));
    CHECK_FALSE(limiter.allow(a, kStart + kSecond / 2));
    // A long quiet time refills to the burst and no further.
    std::uint64_t later = kStart + 3600 * kSecond;
    CHECK(limiter.allow(a, later));
    CHECK(limiter.allow(a, later));
    CHECK_FALSE(limiter.allow(a, later));
    // A clock that steps back refills nothing and does not break the bucket.
    CHECK_FALSE(limiter.allow(a, kStart));
}

TEST_CASE("frequent refused attempts do not lose the refill between them", "[server][rate]") {
    // A source asking every 100 us at 2/s must still get 2 tokens a second: each call adds a
    // fraction of a token too small for a coarse unit, and those fractions must add up.
    RateLimiter limiter(2, 1000000, 64);
    wire::Ip a = v4(0x0a000001);
    int allowed = 0;
    constexpr std::uint64_t kStep = 100000;  // 100 us
    for (std::uint64_t t = 0; t < 2 * kSecond; t += kStep) {
        if (limiter.allow(a, kStart + t)) allowed++;
    }
    // The burst of 2, then 2/s for just under 2 s: 3 more (the 4th lands exactly at 2 s).
    CHECK(allowed == 5);
}

TEST_CASE("the global bucket refuses every source once it is empty", "[server][rate]") {
    RateLimiter limiter(10, 3, 64);
    wire::Ip a = v4(0x0a000001);
    wire::Ip b = v4(0x0a000002);
    CHECK(limiter.allow(a, kStart));
    CHECK(limiter.allow(a, kStart));
    CHECK(limiter.allow(a, kStart));
    CHECK_FALSE(limiter.allow(a, kStart));
    CHECK_FALSE(limiter.allow(b, kStart));  // b's own bucket is full; the global one is not
    // One third of a second gives the global bucket one token back.
    CHECK(limiter.allow(b, kStart + kSecond / 3 + 1));
    CHECK_FALSE(limiter.allow(a, kStart + kSecond / 3 + 1));
}

TEST_CASE("100,000 spoofed sources neither grow the table nor free a hot source", "[server][rate]") {
    // Eviction as observed: each source probes 8 slots from a keyed hash; when none is free
    // or its own, the slot with the oldest last update is taken over and its bucket restarts
    // full. A hot source that keeps knocking is refreshed on every attempt (refused ones too),
    // so it is never the stalest of its 8 slots while the flood cycles through the others,
    // and stays limited. A source that goes quiet is evicted and comes back with a full burst,
    // which costs an attacker nothing he could not have with a fresh spoofed address anyway.
    RateLimiter limiter(2, 100000000, 64);
    REQUIRE(limiter.table_size() == 64);
    wire::Ip hot = v4(0xc0000201);
    std::uint64_t now = kStart;
    REQUIRE(limiter.allow(hot, now));
    REQUIRE(limiter.allow(hot, now));
    REQUIRE_FALSE(limiter.allow(hot, now));

    int hot_allowed = 0;
    int flood_allowed = 0;
    for (std::uint32_t i = 0; i < 100000; ++i) {
        now += 1000;  // 1 us per datagram: 0.1 s in all, 0.2 of a token for the hot source
        if (limiter.allow(v4(0x0b000000 + i), now)) flood_allowed++;
        if (limiter.allow(hot, now)) hot_allowed++;
    }
    CHECK(limiter.table_size() == 64);
    CHECK(hot_allowed == 0);
    CHECK(flood_allowed == 100000);  // every new source gets its burst: the global limit is the cap

    // The hot source is still in the table with an empty bucket: refused right away...
    CHECK_FALSE(limiter.allow(hot, now));
    // ...and a source that went quiet while the flood went on was evicted: full burst again.
    RateLimiter quiet_limiter(2, 100000000, 64);
    wire::Ip quiet = v4(0xc0000202);
    now = kStart;
    REQUIRE(quiet_limiter.allow(quiet, now));
    REQUIRE(quiet_limiter.allow(quiet, now));
    REQUIRE_FALSE(quiet_limiter.allow(quiet, now));
    for (std::uint32_t i = 0; i < 100000; ++i) quiet_limiter.allow(v4(0x0b000000 + i), now += 1000);
    CHECK(quiet_limiter.table_size() == 64);
    CHECK(quiet_limiter.allow(quiet, now));
}
