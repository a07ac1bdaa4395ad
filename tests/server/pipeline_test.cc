// The validation pipeline, PROTOCOL.md 3, without sockets: one test per drop reason with the
// packet built here, the IP handed on, the order of the checks where two of them fail at once,
// and a state write that fails and is retried.
#include "modules/server/pipeline.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "modules/common/server_config.h"
#include "tests/support/keys.h"
#include "tests/support/process.h"
#include "wire/hash.h"

using namespace ruroco;
using wire::DropReason;

namespace {

constexpr std::uint64_t kSecond = 1000000000ull;
constexpr std::uint64_t kNow = 1700000000ull * kSecond;

wire::Ip ip(const char* text) {
    return *wire::Ip::parse(text);
}

const wire::Ip kLocal = ip("127.0.0.1");
const wire::Ip kSource = ip("127.0.0.1");


// A pipeline over a fresh state directory, with one key, configured by [server] lines.
struct Server {
    explicit Server(const std::string& server_lines = "") : key(std::move(wire::Key::generate().value())) {
        ServerConfig config = parse_server_config_text("server.ini", "[server]\n" + server_lines);
        INFO((config.problems.empty() ? std::string() : config.problems[0]));
        REQUIRE(config.problems.empty());
        dir_fd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        REQUIRE(dir_fd >= 0);
        Result<ReplayState> replay = ReplayState::load(dir_fd, dir.path());
        REQUIRE(replay.ok());
        wire::KeyRing ring;
        REQUIRE(ring.add(test::copy_key(key)));
        pipeline = std::make_unique<Pipeline>(config, std::move(ring), std::move(*replay));
    }
    ~Server() { close(dir_fd); }

    wire::ClientData data() const {
        wire::ClientData d;
        d.cmd_hash = wire::command_hash("default");
        d.counter = kNow;
        d.strict = true;
        d.dst_ip = kLocal;
        return d;
    }
    wire::Packet seal(const wire::ClientData& d) const { return wire::seal_packet(key, d); }

    Outcome handle(const std::uint8_t* bytes, std::size_t size, const wire::Ip& source = kSource,
                   const wire::Ip& local = kLocal, std::uint64_t now = kNow) {
        return pipeline->handle(bytes, size, source, local, now, message);
    }
    Outcome handle(const wire::Packet& p, const wire::Ip& source = kSource, const wire::Ip& local = kLocal,
                   std::uint64_t now = kNow) {
        return handle(p.data(), p.size(), source, local, now);
    }

    // Every counter: the ones named hold their values, all others are 0.
    void expect_counts(const std::map<DropReason, std::uint64_t>& expected) {
        for (std::size_t i = 0; i < wire::kDropReasonCount; ++i) {
            auto reason = static_cast<DropReason>(i);
            auto it = expected.find(reason);
            INFO(wire::drop_reason_name(reason));
            CHECK(pipeline->stats().total(reason) == (it == expected.end() ? 0 : it->second));
        }
    }

    test::TempDir dir;
    int dir_fd = -1;
    wire::Key key;
    std::unique_ptr<Pipeline> pipeline;
    wire::CommanderMessage message;
};

wire::Key other_key() {
    return std::move(wire::Key::generate().value());
}

}  // namespace

TEST_CASE("a valid packet is accepted and hands on the command hash and the source", "[server][pipeline]") {
    Server s;
    CHECK(s.handle(s.seal(s.data())) == Outcome::accepted);
    CHECK(s.message.cmd_hash == wire::command_hash("default"));
    CHECK(s.message.ip == kSource);
    s.expect_counts({{DropReason::none, 1}});
}

TEST_CASE("bad_size: 0, 93 and 95 bytes", "[server][pipeline][negative]") {
    for (std::size_t size : {std::size_t{0}, std::size_t{93}, std::size_t{95}}) {
        INFO(size);
        Server s;
        wire::Packet valid = s.seal(s.data());
        std::uint8_t bytes[95] = {};
        std::memcpy(bytes, valid.data(), valid.size());
        CHECK(s.handle(bytes, size) == Outcome::dropped);
        s.expect_counts({{DropReason::bad_size, 1}});
        // The same packet at its right size was not consumed by the wrong-sized attempt.
        CHECK(s.handle(valid) == Outcome::accepted);
    }
}

TEST_CASE("rate_limited: a source over rate_per_ip", "[server][pipeline][negative]") {
    Server s("rate_per_ip = 1\n");
    CHECK(s.handle(s.seal(s.data())) == Outcome::accepted);
    wire::ClientData next = s.data();
    next.counter++;
    CHECK(s.handle(s.seal(next)) == Outcome::dropped);
    s.expect_counts({{DropReason::none, 1}, {DropReason::rate_limited, 1}});
    // Another source is not limited by the first one's bucket.
    CHECK(s.handle(s.seal(next), ip("127.0.0.2")) == Outcome::accepted);
}

TEST_CASE("unknown_key: sealed with a key the server does not hold", "[server][pipeline][negative]") {
    Server s;
    wire::Key stranger = other_key();
    CHECK(s.handle(wire::seal_packet(stranger, s.data())) == Outcome::dropped);
    s.expect_counts({{DropReason::unknown_key, 1}});
}

TEST_CASE("bad_tag: one flipped bit in the nonce, the tag or the ciphertext",
          "[server][pipeline][negative]") {
    for (std::size_t offset :
         {wire::kNonceOffset, wire::kTagOffset + 15, wire::kCiphertextOffset, wire::kPacketSize - 1}) {
        INFO(offset);
        Server s;
        wire::Packet p = s.seal(s.data());
        p[offset] ^= 0x01;
        CHECK(s.handle(p) == Outcome::dropped);
        s.expect_counts({{DropReason::bad_tag, 1}});
    }
}

TEST_CASE("bad_plaintext: version 2, and strict byte 2", "[server][pipeline][negative]") {
    wire::Nonce nonce{};
    nonce[0] = 1;
    SECTION("version 2") {
        Server s;
        CHECK(s.handle(wire::seal_plaintext(s.key, wire::encode_plaintext(s.data(), 2), nonce)) ==
              Outcome::dropped);
        s.expect_counts({{DropReason::bad_plaintext, 1}});
    }
    SECTION("strict byte 2") {
        Server s;
        wire::Plaintext plain = wire::encode_plaintext(s.data());
        plain[wire::kStrictOffset] = 2;
        CHECK(s.handle(wire::seal_plaintext(s.key, plain, nonce)) == Outcome::dropped);
        s.expect_counts({{DropReason::bad_plaintext, 1}});
    }
}

TEST_CASE("stale and future: outside max_clock_skew either way, edges included",
          "[server][pipeline][negative]") {
    constexpr wire::u128 kSkew = 30 * kSecond;  // the default
    SECTION("stale") {
        Server s;
        wire::ClientData d = s.data();
        d.counter = kNow - kSkew - 1;
        CHECK(s.handle(s.seal(d)) == Outcome::dropped);
        s.expect_counts({{DropReason::stale, 1}});
        d.counter = kNow - kSkew;  // exactly 30 s old is still inside
        CHECK(s.handle(s.seal(d)) == Outcome::accepted);
    }
    SECTION("future") {
        Server s;
        wire::ClientData d = s.data();
        d.counter = kNow + kSkew + 1;
        CHECK(s.handle(s.seal(d)) == Outcome::dropped);
        s.expect_counts({{DropReason::future, 1}});
        d.counter = kNow + kSkew;
        CHECK(s.handle(s.seal(d)) == Outcome::accepted);
    }
    SECTION("a counter far beyond the clock does not overflow into the window") {
        Server s;
        wire::ClientData d = s.data();
        d.counter = ~static_cast<wire::u128>(0);
        CHECK(s.handle(s.seal(d)) == Outcome::dropped);
        s.expect_counts({{DropReason::future, 1}});
    }
}

TEST_CASE("a future packet does not advance the replay state", "[server][pipeline]") {
    Server s;
    wire::ClientData future = s.data();
    future.counter = kNow + 3600 * kSecond;
    CHECK(s.handle(s.seal(future)) == Outcome::dropped);
    CHECK(s.handle(s.seal(s.data())) == Outcome::accepted);
    s.expect_counts({{DropReason::future, 1}, {DropReason::none, 1}});
}

TEST_CASE("replay: the same packet, and a lower counter with a fresh nonce", "[server][pipeline][negative]") {
    Server s;
    wire::Packet p = s.seal(s.data());
    REQUIRE(s.handle(p) == Outcome::accepted);
    CHECK(s.handle(p, ip("127.0.0.2")) == Outcome::dropped);
    s.expect_counts({{DropReason::none, 1}, {DropReason::replay, 1}});

    Server t;
    REQUIRE(t.handle(t.seal(t.data())) == Outcome::accepted);
    wire::ClientData lower = t.data();
    lower.counter--;
    CHECK(t.handle(t.seal(lower), ip("127.0.0.2")) == Outcome::dropped);
    t.expect_counts({{DropReason::none, 1}, {DropReason::replay, 1}});
    wire::ClientData higher = t.data();
    higher.counter++;
    CHECK(t.handle(t.seal(higher), ip("127.0.0.3")) == Outcome::accepted);
}

TEST_CASE("wrong_destination with ips set: dst_ip must be one of them", "[server][pipeline][negative]") {
    Server s("ips = 192.0.2.1, 2001:db8::1\n");
    wire::ClientData d = s.data();
    d.dst_ip = ip("192.0.2.2");
    CHECK(s.handle(s.seal(d)) == Outcome::dropped);
    s.expect_counts({{DropReason::wrong_destination, 1}});
    // The local address (127.0.0.1) is not in ips, so it is not enough either.
    CHECK(s.handle(s.seal(s.data()), ip("127.0.0.2")) == Outcome::dropped);
    CHECK(s.pipeline->stats().total(DropReason::wrong_destination) == 2);
    // Any listed address is, whatever the local address the datagram arrived at.
    d.dst_ip = ip("2001:db8::1");
    CHECK(s.handle(s.seal(d), ip("127.0.0.3")) == Outcome::accepted);
}

TEST_CASE("wrong_destination with ips unset: dst_ip must be the local address",
          "[server][pipeline][negative]") {
    Server s;
    wire::ClientData d = s.data();
    d.dst_ip = ip("127.0.0.2");
    CHECK(s.handle(s.seal(d)) == Outcome::dropped);
    s.expect_counts({{DropReason::wrong_destination, 1}});
    // The same dst_ip arriving at that local address is right.
    CHECK(s.handle(s.seal(d), kSource, ip("127.0.0.2")) == Outcome::accepted);
    // IPv4 is compared in its mapped form: the ::ffff: spelling is the same address.
    wire::ClientData mapped = s.data();
    mapped.counter++;
    mapped.dst_ip = ip("::ffff:127.0.0.1");
    CHECK(s.handle(s.seal(mapped), ip("127.0.0.3")) == Outcome::accepted);
}

TEST_CASE("wrong_source: strict, src_ip set and not the real source", "[server][pipeline][negative]") {
    Server s;
    wire::ClientData d = s.data();
    d.src_ip = ip("127.0.0.9");
    CHECK(s.handle(s.seal(d)) == Outcome::dropped);
    s.expect_counts({{DropReason::wrong_source, 1}});
    // From the claimed address it passes, and that address is handed on.
    CHECK(s.handle(s.seal(d), ip("127.0.0.9")) == Outcome::accepted);
    CHECK(s.message.ip == ip("127.0.0.9"));
}

TEST_CASE("permissive: src_ip is vouched for by the client and handed on", "[server][pipeline]") {
    Server s;
    wire::ClientData d = s.data();
    d.strict = false;
    d.src_ip = ip("203.0.113.7");
    CHECK(s.handle(s.seal(d)) == Outcome::accepted);
    CHECK(s.message.ip == ip("203.0.113.7"));
    s.expect_counts({{DropReason::none, 1}});
}

TEST_CASE("strict without src_ip hands on the real source", "[server][pipeline]") {
    Server s;
    wire::ClientData d = s.data();
    REQUIRE(d.src_ip.is_zero());
    CHECK(s.handle(s.seal(d), ip("127.0.0.5")) == Outcome::accepted);
    CHECK(s.message.ip == ip("127.0.0.5"));
    // An IPv4 source seen as mapped (dual-stack socket) is the same address.
    wire::ClientData next = s.data();
    next.counter++;
    CHECK(s.handle(s.seal(next), ip("::ffff:127.0.0.6")) == Outcome::accepted);
    CHECK(s.message.ip == ip("127.0.0.6"));
    CHECK(s.message.ip.to_string() == "127.0.0.6");
}

TEST_CASE("order: an oversized datagram from an over-rate source is bad_size", "[server][pipeline][order]") {
    Server s("rate_per_ip = 1\n");
    REQUIRE(s.handle(s.seal(s.data())) == Outcome::accepted);
    wire::ClientData next = s.data();
    next.counter++;
    REQUIRE(s.handle(s.seal(next)) == Outcome::dropped);  // the source is now over its rate
    REQUIRE(s.pipeline->stats().total(DropReason::rate_limited) == 1);
    std::uint8_t big[200] = {};
    CHECK(s.handle(big, sizeof big) == Outcome::dropped);
    s.expect_counts({{DropReason::none, 1}, {DropReason::rate_limited, 1}, {DropReason::bad_size, 1}});
}

TEST_CASE("order: an unknown key from an over-rate source is rate_limited", "[server][pipeline][order]") {
    Server s("rate_per_ip = 1\n");
    REQUIRE(s.handle(s.seal(s.data())) == Outcome::accepted);
    wire::Key stranger = other_key();
    CHECK(s.handle(wire::seal_packet(stranger, s.data())) == Outcome::dropped);
    s.expect_counts({{DropReason::none, 1}, {DropReason::rate_limited, 1}});
}

TEST_CASE("order: a bad tag on a stale packet is bad_tag", "[server][pipeline][order]") {
    Server s;
    wire::ClientData d = s.data();
    d.counter = kNow - 3600 * kSecond;
    wire::Packet p = s.seal(d);
    p[wire::kCiphertextOffset + 3] ^= 0x80;
    CHECK(s.handle(p) == Outcome::dropped);
    s.expect_counts({{DropReason::bad_tag, 1}});
}

TEST_CASE("order: a replay with a wrong destination is replay", "[server][pipeline][order]") {
    Server s;
    REQUIRE(s.handle(s.seal(s.data())) == Outcome::accepted);
    wire::ClientData d = s.data();
    d.dst_ip = ip("198.51.100.1");
    CHECK(s.handle(s.seal(d)) == Outcome::dropped);
    s.expect_counts({{DropReason::none, 1}, {DropReason::replay, 1}});
}

TEST_CASE("order: a stale packet with a wrong destination and source is stale", "[server][pipeline][order]") {
    Server s;
    wire::ClientData d = s.data();
    d.counter = kNow - 3600 * kSecond;
    d.dst_ip = ip("198.51.100.1");
    d.src_ip = ip("198.51.100.2");
    CHECK(s.handle(s.seal(d)) == Outcome::dropped);
    s.expect_counts({{DropReason::stale, 1}});
}

TEST_CASE("a state write that fails acts on nothing, and the packet counts once written",
          "[server][pipeline][negative]") {
    // A non-empty directory where the temporary file goes makes the write fail even as root.
    Server s;
    std::string blocker = s.dir.file(std::string(kReplayFileName) + ".tmp");
    REQUIRE(mkdir(blocker.c_str(), 0700) == 0);
    test::write_text(blocker + "/x", "x");
    wire::Packet p = s.seal(s.data());
    s.message = {};
    CHECK(s.handle(p) == Outcome::state_write_failed);
    CHECK(s.message.cmd_hash == 0);  // nothing to hand on
    CHECK(s.pipeline->stats().totals_line().find("state_write_failed 1") != std::string::npos);
    s.expect_counts({});  // not accepted: nothing was acted on

    // Writable again: the very same packet is accepted, not a replay of the failed attempt.
    REQUIRE(unlink((blocker + "/x").c_str()) == 0);
    REQUIRE(rmdir(blocker.c_str()) == 0);
    CHECK(s.handle(p) == Outcome::accepted);
    s.expect_counts({{DropReason::none, 1}});  // one packet acted on, counted once
    // And now it is one.
    CHECK(s.handle(p, ip("127.0.0.2")) == Outcome::dropped);
    CHECK(s.pipeline->stats().total(DropReason::replay) == 1);
}

TEST_CASE("a state directory that is gone fails the write; a fresh pipeline accepts the packet",
          "[server][pipeline][negative]") {
    Server s;
    wire::Packet p = s.seal(s.data());
    // The dir fd now names a removed directory: openat(O_CREAT) fails with ENOENT.
    REQUIRE(rmdir(s.dir.path().c_str()) == 0);
    CHECK(s.handle(p) == Outcome::state_write_failed);
    CHECK(s.handle(p, ip("127.0.0.2")) == Outcome::state_write_failed);  // still not a replay

    Server fresh;
    // The same key in the fresh server: rebuild it with s's material.
    wire::KeyRing ring;
    REQUIRE(ring.add(test::copy_key(s.key)));
    fresh.pipeline->replace_keys(std::move(ring));
    CHECK(fresh.handle(p) == Outcome::accepted);
}

TEST_CASE("only datagrams with a known key cost a tag check", "[server][pipeline]") {
    Server s("rate_per_ip = 1000000\nrate_global = 100000000\n");
    std::uint8_t junk[200] = {};
    wire::Packet unknown{};  // key id 0: not loaded
    for (int i = 0; i < 1000; ++i) {
        s.handle(junk, 93);
        s.handle(junk, 200);
        s.handle(unknown);
    }
    CHECK(s.pipeline->stats().tag_checks() == 0);
    wire::Packet forged = s.seal(s.data());
    forged[60] ^= 1;
    s.handle(forged);
    CHECK(s.pipeline->stats().tag_checks() == 1);
}
