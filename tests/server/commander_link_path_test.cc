// The separate-services side of step 11: a link to ruroco-commander's socket path connects on
// first use, reconnects after the commander restarted, and fails at once (never blocks the
// UDP loop) when the commander stopped accepting connections.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <string>

#include "modules/server/commander_link.h"
#include "tests/support/process.h"

using namespace ruroco;

namespace {

sockaddr_un address_of(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    return addr;
}

int listen_on(const std::string& path, int backlog) {
    unlink(path.c_str());
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr = address_of(path);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(fd, backlog) == 0);
    return fd;
}

// Accepts one connection and reads one record from it: the message's cmd_hash, or 0.
std::uint64_t accept_and_read(int listener, int& connection) {
    pollfd p{listener, POLLIN, 0};
    REQUIRE(poll(&p, 1, 2000) == 1);
    connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    REQUIRE(connection >= 0);
    pollfd q{connection, POLLIN, 0};
    REQUIRE(poll(&q, 1, 2000) == 1);
    std::uint8_t buffer[64];
    ssize_t n = recv(connection, buffer, sizeof buffer, 0);
    REQUIRE(n == 24);
    Result<wire::CommanderMessage> m = wire::decode_commander_message(buffer, 24);
    REQUIRE(m.ok());
    return m->cmd_hash;
}

}  // namespace

TEST_CASE("a path link connects on first use and reconnects after a commander restart", "[server][link]") {
    test::TempDir dir;
    std::string path = dir.file("commander.sock");
    int listener = listen_on(path, 4);
    CommanderLink link = CommanderLink::to_path(path);
    CHECK(link.fd() == -1);  // nothing happens before the first accepted packet

    wire::Ip ip = *wire::Ip::parse("192.0.2.1");
    REQUIRE(link.send({1, ip}).ok());
    int connection = -1;
    CHECK(accept_and_read(listener, connection) == 1);

    // The commander restarts: old connection and socket gone, a new socket on the same path.
    close(connection);
    close(listener);
    listener = listen_on(path, 4);
    REQUIRE(link.send({2, ip}).ok());
    CHECK(accept_and_read(listener, connection) == 2);
    close(connection);
    close(listener);
}

TEST_CASE("a path link to a commander that stopped accepting fails at once", "[server][link][negative]") {
    test::TempDir dir;
    std::string path = dir.file("commander.sock");
    int listener = listen_on(path, 0);
    // Fill the backlog with connections nobody accepts.
    std::vector<int> pending;
    for (int i = 0; i < 8; ++i) {
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        REQUIRE(fd >= 0);
        sockaddr_un addr = address_of(path);
        int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        pending.push_back(fd);
        if (rc != 0) break;
    }
    CommanderLink link = CommanderLink::to_path(path);
    auto start = std::chrono::steady_clock::now();
    Status sent = link.send({1, *wire::Ip::parse("192.0.2.1")});
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().find(path) != std::string::npos);
    CHECK(took < std::chrono::milliseconds(500));
    for (int fd : pending) close(fd);
    close(listener);
}
