// The client's per-key counter store: max(now, last + 1), durable, exclusive, and loud about a
// damaged file instead of quietly starting over (PROTOCOL.md 5).
#include "modules/client/counter_store.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

#include "tests/support/process.h"
#include "wire/decimal.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

wire::KeyId test_id() {
    return wire::KeyId{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
}

std::string stored(const CounterStore& store) {
    return read_text(store.counter_path(test_id()));
}

// The value of a reservation that must have succeeded, made durable as the sender does.
wire::u128 taken(Result<ReservedCounter> r) {
    REQUIRE(r.ok());
    REQUIRE(r->make_durable().ok());
    return r->value;
}

}  // namespace

TEST_CASE("counter files are named by key id in the given directory", "[client][counter]") {
    CounterStore store("/x/y");
    CHECK(store.counter_path(test_id()) == "/x/y/0123456789abcdef.counter");
    CHECK(store.lock_path(test_id()) == "/x/y/0123456789abcdef.lock");
}

TEST_CASE("the first counter is now; later ones are max(now, last + 1)", "[client][counter]") {
    TempDir dir;
    CounterStore store(dir.file("state/ruroco"));
    CHECK(taken(store.next(test_id(), 1000)) == 1000);
    CHECK(stored(store) == "1000\n");
    // The clock did not move, or went backwards: last + 1.
    CHECK(taken(store.next(test_id(), 1000)) == 1001);
    CHECK(taken(store.next(test_id(), 5)) == 1002);
    // The clock moved past the last counter: now.
    CHECK(taken(store.next(test_id(), 50000)) == 50000);
    CHECK(stored(store) == "50000\n");

    struct stat st;
    REQUIRE(stat(dir.file("state/ruroco").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    REQUIRE(stat(store.counter_path(test_id()).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(stat(store.lock_path(test_id()).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a reserved counter is in place for the next send before it is made durable", "[client][counter]") {
    // The sender fsyncs only after its datagrams are out: until then the value must already be
    // what the file says, so a send that starts meanwhile cannot reuse it.
    TempDir dir;
    CounterStore store(dir.path());
    Result<ReservedCounter> first = store.next(test_id(), 1000);
    REQUIRE(first.ok());
    CHECK(stored(store) == "1000\n");
    Result<ReservedCounter> second = store.next(test_id(), 1000);
    REQUIRE(second.ok());
    CHECK(second->value == 1001);
    CHECK(first->make_durable().ok());
    CHECK(second->make_durable().ok());
    CHECK(stored(store) == "1001\n");
    // No temporary file is left beside the counter.
    CHECK(list_directory(dir.path()) == std::vector<std::string>{"0123456789abcdef.counter", "0123456789abcdef.lock"});
}

TEST_CASE("counters of different keys are independent", "[client][counter]") {
    TempDir dir;
    CounterStore store(dir.path());
    wire::KeyId other = test_id();
    other[7] = 0;
    CHECK(taken(store.next(test_id(), 9000)) == 9000);
    CHECK(taken(store.next(other, 10)) == 10);
    CHECK(taken(store.next(test_id(), 10)) == 9001);
}

TEST_CASE("counters up to 2^128 - 2 survive the text round trip", "[client][counter]") {
    TempDir dir;
    CounterStore store(dir.path());
    wire::u128 big = ~static_cast<wire::u128>(0) - 2;
    write_text(store.counter_path(test_id()), wire::u128_to_string(big) + "\n");
    CHECK(taken(store.next(test_id(), 1)) == big + 1);
    CHECK(stored(store) == wire::u128_to_string(big + 1) + "\n");
}

TEST_CASE("a damaged counter file is an error naming it, and it is left as it was",
          "[client][counter][negative]") {
    TempDir dir;
    CounterStore store(dir.path());
    std::string path = store.counter_path(test_id());
    const char* damaged[] = {"", "\n", "12x\n", "-5\n", "1 2\n", "0x10\n",
                             // 2^128: one more than a counter can hold
                             "340282366920938463463374607431768211456\n"};
    for (const char* text : damaged) {
        INFO("counter file: '" << text << "'");
        write_text(path, text);
        Result<ReservedCounter> next = store.next(test_id(), 1000);
        REQUIRE_FALSE(next.ok());
        CHECK(next.error().find(path) != std::string::npos);
        CHECK(next.error().find("corrupt") != std::string::npos);
        CHECK(next.error().find("reseed") != std::string::npos);
        CHECK(read_text(path) == text);
    }
    write_text(path, std::string(100, '1'));
    Result<ReservedCounter> too_long = store.next(test_id(), 1000);
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.error().find(path) != std::string::npos);
}

TEST_CASE("the largest counter cannot be followed: an error, not a wrap to 0",
          "[client][counter][negative]") {
    TempDir dir;
    CounterStore store(dir.path());
    std::string max = wire::u128_to_string(~static_cast<wire::u128>(0));
    write_text(store.counter_path(test_id()), max + "\n");
    Result<ReservedCounter> next = store.next(test_id(), 1000);
    REQUIRE_FALSE(next.ok());
    CHECK(next.error().find("largest") != std::string::npos);
    CHECK(stored(store) == max + "\n");
}

TEST_CASE("reset sets the counter to now, even back from ahead, and repairs a damaged file",
          "[client][counter]") {
    TempDir dir;
    CounterStore store(dir.path());
    REQUIRE(store.next(test_id(), 900000).ok());
    Result<wire::u128> reset = store.reset(test_id(), 1000);
    REQUIRE(reset.ok());
    CHECK(*reset == 1000);
    CHECK(stored(store) == "1000\n");
    CHECK(taken(store.next(test_id(), 1000)) == 1001);

    write_text(store.counter_path(test_id()),
               "garbage that is longer than sixty-four bytes, much longer than that");
    REQUIRE(store.reset(test_id(), 2000).ok());
    CHECK(taken(store.next(test_id(), 2000)) == 2001);
}

TEST_CASE("a state directory that cannot be created is an error naming it", "[client][counter][negative]") {
    TempDir dir;
    write_text(dir.file("file"), "not a directory\n");
    CounterStore store(dir.file("file/ruroco"));
    Result<ReservedCounter> next = store.next(test_id(), 1);
    REQUIRE_FALSE(next.ok());
    CHECK(next.error().find(dir.file("file")) != std::string::npos);
}

TEST_CASE("concurrent reservations through separate opens never share a counter", "[client][counter]") {
    TempDir dir;
    const int kThreads = 8, kEach = 40;
    std::vector<std::vector<wire::u128>> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // One store per thread: each open() is its own open file description, so flock
            // excludes threads just as it excludes processes.
            CounterStore store(dir.path());
            for (int i = 0; i < kEach; ++i) {
                Result<ReservedCounter> c = store.next(test_id(), 1);  // a frozen clock: only last + 1
                if (c && c->make_durable()) got[static_cast<std::size_t>(t)].push_back(c->value);
            }
        });
    }
    for (std::thread& t : threads) t.join();
    std::set<wire::u128> all;
    for (const auto& list : got) {
        CHECK(list.size() == kEach);
        all.insert(list.begin(), list.end());
    }
    CHECK(all.size() == kThreads * kEach);
    CHECK(*all.begin() == 1);
    CHECK(*all.rbegin() == kThreads * kEach);
    CHECK(read_text(CounterStore(dir.path()).counter_path(test_id())) ==
          std::to_string(kThreads * kEach) + "\n");
}
