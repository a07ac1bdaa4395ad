// Drop counters and the summary line the server logs at most once per 10 s (BEHAVIOUR.md).
#include "modules/server/drop_stats.h"

#include <catch2/catch.hpp>

using namespace ruroco;
using wire::DropReason;

TEST_CASE("with_thousands groups digits by three", "[server][stats]") {
    CHECK(with_thousands(0) == "0");
    CHECK(with_thousands(7) == "7");
    CHECK(with_thousands(999) == "999");
    CHECK(with_thousands(1000) == "1,000");
    CHECK(with_thousands(99999) == "99,999");
    CHECK(with_thousands(182311) == "182,311");
    CHECK(with_thousands(1234567) == "1,234,567");
    CHECK(with_thousands(18446744073709551615ull) == "18,446,744,073,709,551,615");
}

TEST_CASE("the window summary reads exactly as BEHAVIOUR.md shows it", "[server][stats]") {
    DropStats stats;
    for (int i = 0; i < 182300; ++i) stats.count(DropReason::bad_tag);
    for (int i = 0; i < 11; ++i) stats.count(DropReason::rate_limited);
    // Accepted packets are not drops: they stay out of the line.
    for (int i = 0; i < 5; ++i) stats.count(DropReason::none);
    // The biggest first, as an operator reads it: what is the flood made of.
    CHECK(stats.window_summary(10) == "dropped 182,311 in 10 s: bad_tag 182,300, rate_limited 11");
}

TEST_CASE("equal counts in the summary keep the protocol's order", "[server][stats]") {
    DropStats stats;
    stats.count(DropReason::wrong_source);
    stats.count(DropReason::bad_size);
    stats.count(DropReason::replay);
    stats.count(DropReason::replay);
    CHECK(stats.window_summary(10) == "dropped 4 in 10 s: replay 2, bad_size 1, wrong_source 1");
}

TEST_CASE("the window summary with one reason, and totals for every reason", "[server][stats]") {
    DropStats stats;
    for (int i = 0; i < 182300; ++i) stats.count(DropReason::bad_tag);
    CHECK(stats.window_summary(10) == "dropped 182,300 in 10 s: bad_tag 182,300");
    stats.count(DropReason::none);
    stats.count(LocalFailure::state_write_failed);
    CHECK(stats.total(DropReason::bad_tag) == 182300);
    CHECK(stats.total(DropReason::none) == 1);
    CHECK(stats.total(DropReason::replay) == 0);
    CHECK(stats.totals_line() ==
          "accepted 1, bad_size 0, rate_limited 0, unknown_key 0, bad_tag 182300, bad_plaintext 0, "
          "stale 0, future 0, replay 0, wrong_destination 0, wrong_source 0, state_write_failed 1, "
          "commander_unavailable 0, tag_checks 0");
}

TEST_CASE("the window restarts after a summary; totals do not", "[server][stats]") {
    constexpr std::uint64_t kSecond = 1000000000ull;
    DropStats stats;
    stats.maybe_log_summary(100 * kSecond);  // starts the window
    stats.count(DropReason::replay);
    stats.maybe_log_summary(105 * kSecond);  // too early: the window keeps counting
    stats.count(DropReason::replay);
    CHECK(stats.window_summary(5) == "dropped 2 in 5 s: replay 2");
    stats.maybe_log_summary(110 * kSecond);  // logged, window emptied
    stats.count(DropReason::stale);
    CHECK(stats.window_summary(0) == "dropped 1 in 0 s: stale 1");
    CHECK(stats.total(DropReason::replay) == 2);
}
