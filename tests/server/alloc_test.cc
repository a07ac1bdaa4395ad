// Zero heap allocations per datagram in the server's steady state (issue 6): 100,000 hostile
// datagrams of every rejection kind go through the UDP receiver and the pipeline while this
// binary counts every malloc on the receiving thread. Its own executable, because it replaces
// malloc; not built under the sanitizers, which replace it themselves.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "modules/server/pipeline.h"
#include "modules/server/udp_socket.h"
#include "tests/support/keys.h"
#include "tests/support/process.h"
#include "wire/hash.h"

extern "C" void* __libc_malloc(size_t);
extern "C" void* __libc_calloc(size_t, size_t);
extern "C" void* __libc_realloc(void*, size_t);
extern "C" void __libc_free(void*);

namespace {
thread_local bool counting = false;
thread_local std::size_t allocations = 0;
}  // namespace

extern "C" void* malloc(size_t n) {
    if (counting) allocations++;
    return __libc_malloc(n);
}
extern "C" void* calloc(size_t a, size_t b) {
    if (counting) allocations++;
    return __libc_calloc(a, b);
}
extern "C" void* realloc(void* p, size_t n) {
    if (counting) allocations++;
    return __libc_realloc(p, n);
}
extern "C" void free(void* p) { __libc_free(p); }

using namespace ruroco;

namespace {

constexpr std::uint64_t kNow = 1700000000000000000ull;

struct Fixture {
    test::TempDir dir;
    ServerConfig config = parse_server_config_text(
        "server.ini", "[server]\nlisten = 127.0.0.1:1\nrate_per_ip = 1000000\nrate_global = 100000000\n");
    wire::Key key = std::move(wire::Key::generate().value());
    int dir_fd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
    Pipeline pipeline{config, ring(), std::move(ReplayState::load(dir_fd, dir.path()).value())};

    wire::KeyRing ring() {
        wire::KeyRing r;
        r.add(test::copy_key(key));
        return r;
    }
    wire::Packet packet(std::int64_t offset_s, const char* dst = "127.0.0.1") {
        wire::ClientData d;
        d.cmd_hash = wire::command_hash("default");
        d.counter = static_cast<wire::u128>(static_cast<std::int64_t>(kNow) + offset_s * 1000000000ll);
        d.dst_ip = *wire::Ip::parse(dst);
        return wire::seal_packet(key, d);
    }
};

}  // namespace

TEST_CASE("the pipeline allocates nothing for 100,000 rejected datagrams", "[server][alloc]") {
    Fixture f;
    wire::Ip source = *wire::Ip::parse("127.0.0.1"), local = source;
    wire::CommanderMessage out;
    // One accepted packet first: replay needs a stored counter, and the first accept may allocate.
    wire::Packet valid = f.packet(0);
    REQUIRE(f.pipeline.handle(valid.data(), valid.size(), source, local, kNow, out) == Outcome::accepted);

    wire::Packet bad_tag = f.packet(0);
    bad_tag[50] ^= 1;
    wire::Packet unknown = f.packet(0);
    unknown[0] ^= 1;
    wire::Packet stale = f.packet(-3600), future = f.packet(3600), wrong_dst = f.packet(1, "127.0.0.9");
    std::uint8_t big[200] = {};
    struct Case {
        const std::uint8_t* data;
        std::size_t size;
        wire::DropReason reason;
    } cases[] = {
        {valid.data(), 93, wire::DropReason::bad_size},      {big, sizeof big, wire::DropReason::bad_size},
        {unknown.data(), 94, wire::DropReason::unknown_key}, {bad_tag.data(), 94, wire::DropReason::bad_tag},
        {stale.data(), 94, wire::DropReason::stale},         {future.data(), 94, wire::DropReason::future},
        {valid.data(), 94, wire::DropReason::replay},        {wrong_dst.data(), 94, wire::DropReason::wrong_destination},
    };
    constexpr int kDatagrams = 100000;
    std::size_t before = allocations;
    counting = true;
    for (int i = 0; i < kDatagrams; ++i) {
        const Case& c = cases[static_cast<std::size_t>(i) % std::size(cases)];
        f.pipeline.handle(c.data, c.size, source, local, kNow + static_cast<std::uint64_t>(i), out);
    }
    counting = false;
    CHECK(allocations - before == 0);
    // And the datagrams really took those paths.
    for (const Case& c : cases) CHECK(f.pipeline.stats().total(c.reason) >= kDatagrams / std::size(cases));
}

TEST_CASE("receiving in batches allocates nothing per datagram", "[server][alloc]") {
    ServerConfig config = parse_server_config_text("server.ini", "[server]\nlisten = 127.0.0.1:1\n");
    config.listen_port = 0;
    Result<int> fd = open_udp_socket(config);
    REQUIRE(fd.ok());
    int rcvbuf = 8 << 20;
    setsockopt(*fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    getsockname(*fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int sender = socket(AF_INET, SOCK_DGRAM, 0);
    UdpReceiver receiver;
    std::uint8_t junk[94] = {};
    constexpr int kDatagrams = 20000;
    int received = 0;
    std::size_t before = allocations;
    for (int sent = 0; sent < kDatagrams;) {
        for (int burst = 0; burst < 500 && sent < kDatagrams; ++burst, ++sent) {
            sendto(sender, junk, sizeof junk, 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        }
        pollfd p{*fd, POLLIN, 0};
        counting = true;
        while (poll(&p, 1, 100) == 1) {
            int n = receiver.receive(*fd);
            if (n <= 0) break;
            for (int i = 0; i < n; ++i) received += receiver.datagram(i).size == 94 ? 1 : 0;
        }
        counting = false;
    }
    close(sender);
    close(*fd);
    CHECK(allocations - before == 0);
    CHECK(received > kDatagrams / 2);  // loopback may drop some; most must have been read
}

TEST_CASE("the allocation counter itself sees allocations", "[server][alloc]") {
    std::size_t before = allocations;
    counting = true;
    std::string* text = new std::string(1000, 'x');
    counting = false;
    delete text;
    CHECK(allocations - before == 2);  // the string object and its buffer
}
