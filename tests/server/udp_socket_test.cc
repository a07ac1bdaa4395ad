// The server's UDP socket on loopback: true datagram sizes (an oversized one is never cut to
// 94 bytes), the source address, and the local address from IP_PKTINFO / IPV6_PKTINFO, all in
// the canonical form, also for IPv4 clients of a dual-stack [::] socket.
#include "modules/server/udp_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

using namespace ruroco;

namespace {

struct Received {
    std::size_t size;
    std::vector<std::uint8_t> head;  // what fitted in the buffer
    wire::Ip source;
    wire::Ip local;
};

std::uint16_t bound_port(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
}

// Receives until count datagrams arrived, waiting in poll at most 2 s each time.
std::vector<Received> receive(int fd, std::size_t count) {
    UdpReceiver receiver;
    std::vector<Received> got;
    for (int round = 0; round < 20 && got.size() < count; ++round) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 2000) != 1) break;
        int n = receiver.receive(fd);
        REQUIRE(n >= 0);
        for (int i = 0; i < n; ++i) {
            UdpReceiver::Datagram d = receiver.datagram(i);
            std::size_t kept = std::min(d.size, UdpReceiver::kBufferSize);
            got.push_back({d.size, std::vector<std::uint8_t>(d.data, d.data + kept), d.source, d.local});
        }
    }
    return got;
}

void send_sizes(int family, const char* to, std::uint16_t port, const std::vector<std::size_t>& sizes) {
    int s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(s >= 0);
    sockaddr_storage addr{};
    socklen_t len;
    if (family == AF_INET) {
        auto* in = reinterpret_cast<sockaddr_in*>(&addr);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        REQUIRE(inet_pton(AF_INET, to, &in->sin_addr) == 1);
        len = sizeof *in;
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        REQUIRE(inet_pton(AF_INET6, to, &in6->sin6_addr) == 1);
        len = sizeof *in6;
    }
    for (std::size_t size : sizes) {
        std::vector<std::uint8_t> bytes(size);
        for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + size);
        REQUIRE(sendto(s, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&addr), len) ==
                static_cast<ssize_t>(size));
    }
    close(s);
}

ServerConfig listening_on(const char* address) {
    ServerConfig config;
    config.path = "test.ini";
    config.listen_ip = *wire::Ip::parse(address);
    config.listen_ip_is_v6_any = false;
    config.listen_port = 0;  // the kernel picks; the parser would refuse 0
    return config;
}

}  // namespace

TEST_CASE("an IPv4 socket reports true sizes, the source and the local address", "[server][udp]") {
    Result<int> fd = open_udp_socket(listening_on("127.0.0.1"));
    REQUIRE(fd.ok());
    std::uint16_t port = bound_port(*fd);
    REQUIRE(port != 0);
    send_sizes(AF_INET, "127.0.0.1", port, {94, 95, 200});
    std::vector<Received> got = receive(*fd, 3);
    close(*fd);
    REQUIRE(got.size() == 3);
    CHECK(got[0].size == 94);
    CHECK(got[1].size == 95);
    CHECK(got[2].size == 200);  // bigger than the buffer, yet seen as 200, not as 128 or 94
    for (const Received& r : got) {
        CHECK(r.source == *wire::Ip::parse("127.0.0.1"));
        CHECK(r.local == *wire::Ip::parse("127.0.0.1"));
        for (std::size_t i = 0; i < r.head.size(); ++i) {
            INFO(r.size << " byte " << i);
            REQUIRE(r.head[i] == static_cast<std::uint8_t>(i * 7 + r.size));
        }
    }
}

TEST_CASE("a socket on 0.0.0.0 sees the local address each datagram was sent to", "[server][udp]") {
    Result<int> fd = open_udp_socket(listening_on("0.0.0.0"));
    REQUIRE(fd.ok());
    std::uint16_t port = bound_port(*fd);
    send_sizes(AF_INET, "127.0.0.2", port, {94});
    std::vector<Received> got = receive(*fd, 1);
    close(*fd);
    REQUIRE(got.size() == 1);
    CHECK(got[0].local == *wire::Ip::parse("127.0.0.2"));
}

TEST_CASE("a dual-stack [::] socket reports IPv4 clients in the IPv4 form", "[server][udp]") {
    Result<int> fd = open_udp_socket(listening_on("::"));
    if (!fd.ok()) {
        WARN("IPv6 unavailable, skipped: " << fd.error());
        return;
    }
    std::uint16_t port = bound_port(*fd);
    send_sizes(AF_INET, "127.0.0.1", port, {94, 200});
    std::vector<Received> got = receive(*fd, 2);
    REQUIRE(got.size() == 2);
    CHECK(got[0].size == 94);
    CHECK(got[1].size == 200);
    for (const Received& r : got) {
        CHECK(r.source == *wire::Ip::parse("127.0.0.1"));
        CHECK(r.local == *wire::Ip::parse("127.0.0.1"));
        CHECK(r.source.is_v4());
        CHECK(r.local.to_string() == "127.0.0.1");
    }

    // And an IPv6 client on the same socket, where loopback IPv6 exists.
    int probe = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in6 loop{};
    loop.sin6_family = AF_INET6;
    loop.sin6_addr = in6addr_loopback;
    bool has_v6_loopback = probe >= 0 && bind(probe, reinterpret_cast<sockaddr*>(&loop), sizeof loop) == 0;
    if (probe >= 0) close(probe);
    if (!has_v6_loopback) {
        WARN("no ::1, IPv6 client part skipped");
        close(*fd);
        return;
    }
    send_sizes(AF_INET6, "::1", port, {94});
    got = receive(*fd, 1);
    close(*fd);
    REQUIRE(got.size() == 1);
    CHECK(got[0].source == *wire::Ip::parse("::1"));
    CHECK(got[0].local == *wire::Ip::parse("::1"));
}

TEST_CASE("receive on an empty socket returns 0 without blocking", "[server][udp]") {
    Result<int> fd = open_udp_socket(listening_on("127.0.0.1"));
    REQUIRE(fd.ok());
    UdpReceiver receiver;
    CHECK(receiver.receive(*fd) == 0);
    close(*fd);
}

TEST_CASE("an address already in use is an error naming it and the config", "[server][udp][negative]") {
    Result<int> first = open_udp_socket(listening_on("127.0.0.1"));
    REQUIRE(first.ok());
    ServerConfig again = listening_on("127.0.0.1");
    again.listen_port = bound_port(*first);
    Result<int> second = open_udp_socket(again);
    close(*first);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().find("127.0.0.1:" + std::to_string(again.listen_port)) != std::string::npos);
    CHECK(second.error().find("test.ini") != std::string::npos);
}
