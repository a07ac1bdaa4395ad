// The server's side of step 11: exactly one 24-byte message per accepted packet.
#include "modules/server/commander_link.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "wire/hash.h"

using namespace ruroco;

TEST_CASE("a connected link sends exactly 24 bytes that decode to the message", "[server][link]") {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0);
    CommanderLink link = CommanderLink::connected(fds[0]);
    CHECK(link.is_fixed());
    CHECK(link.fd() == fds[0]);

    wire::CommanderMessage sent;
    sent.cmd_hash = wire::command_hash("default");
    sent.ip = *wire::Ip::parse("2001:db8::7");
    REQUIRE(link.send(sent).ok());
    wire::CommanderMessage second{0x0102030405060708ull, *wire::Ip::parse("192.0.2.1")};
    REQUIRE(link.send(second).ok());

    // Each send is its own record: a larger buffer still gets exactly 24 bytes per recv.
    std::uint8_t buffer[64];
    pollfd p{fds[1], POLLIN, 0};
    REQUIRE(poll(&p, 1, 2000) == 1);
    ssize_t n = recv(fds[1], buffer, sizeof buffer, MSG_DONTWAIT);
    REQUIRE(n == 24);
    Result<wire::CommanderMessage> got = wire::decode_commander_message(buffer, static_cast<std::size_t>(n));
    REQUIRE(got.ok());
    CHECK(got->cmd_hash == sent.cmd_hash);
    CHECK(got->ip == sent.ip);

    n = recv(fds[1], buffer, sizeof buffer, MSG_DONTWAIT);
    REQUIRE(n == 24);
    got = wire::decode_commander_message(buffer, static_cast<std::size_t>(n));
    REQUIRE(got.ok());
    CHECK(got->cmd_hash == 0x0102030405060708ull);
    CHECK(got->ip == *wire::Ip::parse("192.0.2.1"));
    CHECK(buffer[0] == 0x01);  // big-endian on the wire
    CHECK(buffer[7] == 0x08);
    close(fds[1]);
}

TEST_CASE("a link whose commander hung up reports an error instead of blocking", "[server][link][negative]") {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0);
    CommanderLink link = CommanderLink::connected(fds[0]);
    close(fds[1]);
    wire::CommanderMessage m{1, *wire::Ip::parse("127.0.0.1")};
    Status sent = link.send(m);  // no SIGPIPE either: the test process would die of it
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().find("commander") != std::string::npos);
}

TEST_CASE("a path link with no commander listening fails with the path", "[server][link][negative]") {
    CommanderLink link = CommanderLink::to_path("/nonexistent/ruroco-test/commander.sock");
    CHECK_FALSE(link.is_fixed());
    Status sent = link.send(wire::CommanderMessage{1, *wire::Ip::parse("127.0.0.1")});
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().find("/nonexistent/ruroco-test/commander.sock") != std::string::npos);
    CHECK(link.fd() == -1);
}
