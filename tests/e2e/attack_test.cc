// Under attack, on loopback only: floods from thousands of distinct 127.x.y.z sources (bound by
// this test), mass replays, and wrong-size datagrams, against the real privilege-separated server.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/e2e/server_harness.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

// Sockets bound to distinct source addresses 127.10.x.y, never 127.0.0.1 (the knocker's).
class Sources {
  public:
    explicit Sources(int count) {
        rlimit limit{static_cast<rlim_t>(count + 256), static_cast<rlim_t>(count + 256)};
        setrlimit(RLIMIT_NOFILE, &limit);
        for (int i = 0; i < count; ++i) {
            int fd = socket(AF_INET, SOCK_DGRAM, 0);
            sockaddr_in from{};
            from.sin_family = AF_INET;
            from.sin_addr.s_addr = htonl((127u << 24) | (10u << 16) | static_cast<unsigned>(i / 250) << 8 |
                                         static_cast<unsigned>(i % 250 + 1));
            if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
                throw std::runtime_error("cannot bind flood source " + std::to_string(i));
            }
            fds_.push_back(fd);
        }
    }
    ~Sources() {
        for (int fd : fds_) close(fd);
    }
    void send(std::size_t i, const void* data, std::size_t size, std::uint16_t port) const {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sendto(fds_[i % fds_.size()], data, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    }
    std::size_t size() const { return fds_.size(); }

  private:
    std::vector<int> fds_;
};

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) n++;
    return n;
}

}  // namespace

TEST_CASE("a flood from thousands of sources: every knock runs once, memory and log stay bounded",
          "[e2e][root][attack]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.rate_per_ip = 20;  // the knocker sends 10 a second
    options.extra_server_ini = "rate_global = 100000000\nrate_table = 1024\n";  // fewer slots than sources
    ServerHarness server(options);
    server.start();
    Sources sources(3000);
    long rss_before = rss_kib(server.child_pid());
    REQUIRE(rss_before > 0);

    std::atomic<bool> flooding{true};
    std::atomic<std::uint64_t> flooded{0};
    std::thread flood([&] {
        std::uint8_t junk[94];
        std::uint64_t i = 0;
        while (flooding) {
            for (auto& b : junk) b = static_cast<std::uint8_t>(i * 2654435761u >> 13);
            sources.send(i, junk, sizeof junk, server.port());
            ++i;
        }
        flooded = i;
    });
    constexpr int kKnocks = 30;
    for (int k = 0; k < kKnocks; ++k) {
        server.send(server.seal(server.packet_data("default")));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the pace is the scenario
    }
    flooding = false;
    flood.join();
    long rss_after = rss_kib(server.child_pid());

    std::vector<std::string> runs = server.wait_for_runs("default", kKnocks, 10000);
    CHECK(runs.size() == kKnocks);
    auto counters = server.counters();
    INFO("flooded " << flooded.load() << " datagrams; RSS " << rss_before << " -> " << rss_after << " KiB");
    CHECK(flooded.load() > 10000);
    CHECK(counters["accepted"] == kKnocks);
    CHECK(counters["unknown_key"] + counters["rate_limited"] + counters["bad_tag"] > 10000);
    CHECK(rss_after < rss_before + 4096);  // the rate table was allocated at start, nothing grows
#ifndef __SANITIZE_ADDRESS__
    CHECK(rss_after < 32 * 1024);  // AddressSanitizer's shadow memory alone is more than this
#endif
    std::string log = server.log();
    CHECK(count_lines_with(log, "dropped ") <= 2);  // summarised at most once per 10 s
    CHECK(read_lines(server.ran_file("default")).size() == kKnocks);
}

TEST_CASE("10,000 replays of a captured packet run nothing", "[e2e][root][attack]") {
    REQUIRE_ROOT();
    // Above 1,000/s the default global bucket would (rightly) drop the sentinel knock too.
    ServerOptions options;
    options.extra_server_ini = "rate_global = 100000000\n";
    ServerHarness server(options);
    server.start();
    Sources sources(100);
    wire::Packet captured = server.seal(server.packet_data("default"));
    server.send(captured);
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    for (std::size_t i = 0; i < 10000; ++i) sources.send(i, captured.data(), captured.size(), server.port());
    server.send(server.seal(server.packet_data("open_ssh")));  // sentinel: all above were judged
    REQUIRE(server.wait_for_runs("open_ssh", 1, 10000).size() == 1);
    auto counters = server.counters();
    CHECK(counters["replay"] == 10000);
    CHECK(counters["accepted"] == 2);
    CHECK(read_lines(server.ran_file("default")).size() == 1);
}

TEST_CASE("a flood of wrong-size datagrams costs no crypto", "[e2e][root][attack]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    Sources sources(100);
    std::vector<std::uint8_t> junk(1400, 0x5a);
    std::size_t sent = 0;
    for (std::size_t size = 1; size <= junk.size(); ++size) {
        if (size == wire::kPacketSize) continue;
        for (int repeat = 0; repeat < 8; ++repeat, ++sent) sources.send(sent, junk.data(), size, server.port());
    }
    server.send(server.seal(server.packet_data("default")));  // sentinel, the one tag check
    REQUIRE(server.wait_for_runs("default", 1, 10000).size() == 1);
    auto counters = server.counters();
    CHECK(counters["bad_size"] == sent);
    CHECK(counters["tag_checks"] == 1);
}
