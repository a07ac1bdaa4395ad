// The eleven validation steps through the real, privilege-separated server on loopback: the
// valid packet runs once with the right RUROCO_IP, each kind of bad packet runs nothing and is
// counted under its reason.
#include <catch2/catch.hpp>

#include <cstring>

#include "tests/e2e/server_harness.h"
#include "wire/hash.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

constexpr std::uint64_t kMinute = 60ull * 1000 * 1000 * 1000;

}  // namespace

TEST_CASE("a valid knock runs its command once, with the source as RUROCO_IP", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    server.send(server.seal(server.packet_data("default")));
    auto runs = server.wait_for_runs("default", 1);
    REQUIRE(runs == std::vector<std::string>{"127.0.0.1"});
    CHECK(server.counters()["accepted"] == 1);
}

TEST_CASE("every kind of bad packet runs nothing and is counted under its reason", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();

    wire::Packet valid = server.seal(server.packet_data("default"));
    server.send(valid);
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);

    // replay: the very same datagram again
    server.send(valid);
    // 93 and 95 bytes
    std::uint8_t big[95] = {};
    std::memcpy(big, valid.data(), valid.size());
    server.send(valid.data(), 93);
    server.send(big, sizeof big);
    // a flipped bit in the ciphertext
    wire::Packet flipped = server.seal(server.packet_data("default"));
    flipped[60] ^= 0x01;
    server.send(flipped);
    // an unknown key
    wire::Key other = std::move(wire::Key::generate().value());
    server.send(wire::seal_packet(other, server.packet_data("default")));
    // version 2
    wire::Nonce nonce{};
    nonce[0] = 7;
    server.send(wire::seal_plaintext(server.key(), wire::encode_plaintext(server.packet_data("default"), 2), nonce));
    // stale and future
    wire::ClientData stale = server.packet_data("default");
    stale.counter -= 2 * kMinute;
    server.send(server.seal(stale));
    wire::ClientData future = server.packet_data("default");
    future.counter += 2 * kMinute;
    server.send(server.seal(future));
    // wrong destination: names 127.0.0.2, arrives at 127.0.0.1 (ips unset)
    wire::ClientData wrong_dst = server.packet_data("default");
    wrong_dst.dst_ip = *wire::Ip::parse("127.0.0.2");
    server.send(server.seal(wrong_dst));
    // strict, claims 127.0.0.9, sent from 127.0.0.1
    wire::ClientData wrong_src = server.packet_data("default");
    wrong_src.src_ip = *wire::Ip::parse("127.0.0.9");
    server.send(server.seal(wrong_src));
    // A sentinel: the child reads in order, so once it ran, every datagram above was judged.
    server.send(server.seal(server.packet_data("open_ssh")));
    REQUIRE(server.wait_for_runs("open_ssh", 1).size() == 1);

    auto counters = server.counters();
    CHECK(counters["replay"] == 1);
    CHECK(counters["bad_size"] == 2);
    CHECK(counters["bad_tag"] == 1);
    CHECK(counters["unknown_key"] == 1);
    CHECK(counters["bad_plaintext"] == 1);
    CHECK(counters["stale"] == 1);
    CHECK(counters["future"] == 1);
    CHECK(counters["wrong_destination"] == 1);
    CHECK(counters["wrong_source"] == 1);
    CHECK(counters["accepted"] == 2);
    CHECK(read_lines(server.ran_file("default")).size() == 1);
}

TEST_CASE("a source over its rate is dropped before any crypto", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.rate_per_ip = 2;
    ServerHarness server(options);
    server.start();
    wire::Packet junk{};  // unknown key id 0: would be unknown_key if it got that far
    for (int i = 0; i < 5; ++i) server.send(junk, "127.0.0.7");
    server.send(server.seal(server.packet_data("default")));  // another source is unaffected
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    auto counters = server.counters();
    CHECK(counters["unknown_key"] == 2);
    CHECK(counters["rate_limited"] == 3);
}

TEST_CASE("a future packet does not block a valid one after it", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    wire::ClientData future = server.packet_data("default");
    future.counter += 2 * kMinute;
    server.send(server.seal(future));
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    auto counters = server.counters();
    CHECK(counters["future"] == 1);
    CHECK(counters["accepted"] == 1);
}

TEST_CASE("permissive mode runs for the claimed IP; strict without a claim uses the source", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    wire::ClientData permissive = server.packet_data("default");
    permissive.strict = false;
    permissive.src_ip = *wire::Ip::parse("10.1.2.3");
    server.send(server.seal(permissive));
    REQUIRE(server.wait_for_runs("default", 1) == std::vector<std::string>{"10.1.2.3"});

    server.send(server.seal(server.packet_data("open_ssh")), "127.0.0.5");
    // dst_ip names 127.0.0.1, where it arrives, whatever the source
    CHECK(server.wait_for_runs("open_ssh", 1) == std::vector<std::string>{"127.0.0.5"});
}

TEST_CASE("an unknown command is accepted by the server but runs nothing", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    server.send(server.seal(server.packet_data("no_such_command")));
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    CHECK(server.log().find("unknown command hash " + wire::hash_to_hex(wire::command_hash("no_such_command"))) !=
          std::string::npos);
    CHECK(server.counters()["accepted"] == 2);
}

TEST_CASE("kill -9 of the whole service and a restart never accepts an earlier packet", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    wire::Packet first = server.seal(server.packet_data("default"));
    server.send(first);
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    server.kill_all();
    server.start();
    server.send(first);
    server.send(server.seal(server.packet_data("open_ssh")));
    REQUIRE(server.wait_for_runs("open_ssh", 1).size() == 1);
    CHECK(server.counters()["replay"] == 1);
    CHECK(read_lines(server.ran_file("default")).size() == 1);
}
