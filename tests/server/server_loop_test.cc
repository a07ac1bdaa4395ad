// The network-facing loop in a child process, over a real UDP socket on 127.0.0.1 and a
// SEQPACKET socketpair to a stand-in commander: valid packets are handed on as 24-byte
// messages, invalid ones are not, SIGHUP reloads the keys (and keeps the old set when the
// reload fails, or when this process may not reload), SIGTERM returns 0, a commander that
// hangs up returns 1.
#include "modules/server/server_loop.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include "modules/common/server_config.h"
#include "modules/server/udp_socket.h"
#include "tests/support/keys.h"
#include "tests/support/process.h"
#include "wire/hash.h"
#include "wire/packet.h"

using namespace ruroco;

namespace {

std::uint64_t now_ns() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint16_t bound_port(int fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    return ntohs(addr.sin_port);
}

bool exists(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0;
}

// A server loop running in a forked child, as the privilege-separated child runs it.
struct LoopChild {
    enum class Reload { none, add_second_then_fail };

    LoopChild(Reload reload)
        : first(std::move(wire::Key::generate().value())), second(std::move(wire::Key::generate().value())) {
        ServerConfig config = parse_server_config_text(
            "server.ini", "[server]\nlisten = 127.0.0.1:34020\nrate_per_ip = 1000\n");
        REQUIRE(config.problems.empty());
        config.listen_port = 0;  // the kernel picks a free port
        Result<int> udp = open_udp_socket(config);
        REQUIRE(udp.ok());
        port = bound_port(*udp);
        int pair[2];
        REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
        int dir_fd = open(state.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        REQUIRE(dir_fd >= 0);
        std::string marker_dir = state.path();
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            close(pair[0]);  // else the child itself would keep the commander's end open
            run_child(config, *udp, pair[1], dir_fd, reload, marker_dir);
        }
        close(pair[1]);
        close(*udp);
        close(dir_fd);
        commander_fd = pair[0];
    }

    ~LoopChild() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        if (commander_fd >= 0) close(commander_fd);
    }

    [[noreturn]] void run_child(const ServerConfig& config, int udp_fd, int link_fd, int dir_fd, Reload reload,
                                const std::string& marker_dir) {
        Result<ReplayState> replay = ReplayState::load(dir_fd, marker_dir);
        if (!replay) _exit(98);
        wire::KeyRing ring;
        ring.add(test::copy_key(first));
        Pipeline pipeline(config, std::move(ring), std::move(*replay));
        CommanderLink link = CommanderLink::connected(link_fd);
        int reloads = 0;
        ServerLoopSetup setup{udp_fd, &pipeline, &link, {}};
        if (reload == Reload::add_second_then_fail) {
            setup.reload_keys = [&]() -> std::optional<wire::KeyRing> {
                ++reloads;
                test::write_text(marker_dir + "/reload" + std::to_string(reloads), "");
                if (reloads > 1) return std::nullopt;
                wire::KeyRing both;
                both.add(test::copy_key(first));
                both.add(test::copy_key(second));
                return both;
            };
        }
        _exit(run_server_loop(setup));
    }

    // Sends a packet sealed with key, counter now, naming 127.0.0.1 as destination.
    void send(const wire::Key& key, const char* command, std::size_t size = wire::kPacketSize) {
        wire::ClientData d;
        d.cmd_hash = wire::command_hash(command);
        d.counter = now_ns();
        d.strict = true;
        d.dst_ip = *wire::Ip::parse("127.0.0.1");
        wire::Packet packet = wire::seal_packet(key, d);
        std::uint8_t bytes[200] = {};
        std::memcpy(bytes, packet.data(), packet.size());
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(s >= 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(sendto(s, bytes, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) ==
                static_cast<ssize_t>(size));
        close(s);
    }

    // The next message the loop hands on, or none within 3 s.
    std::optional<wire::CommanderMessage> next_message() {
        pollfd p{commander_fd, POLLIN, 0};
        if (poll(&p, 1, 3000) != 1) return std::nullopt;
        std::uint8_t buffer[64];
        ssize_t n = recv(commander_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n != static_cast<ssize_t>(wire::kCommanderMessageSize)) return std::nullopt;
        Result<wire::CommanderMessage> m = wire::decode_commander_message(buffer, static_cast<std::size_t>(n));
        if (!m) return std::nullopt;
        return *m;
    }

    // The child's exit status, waiting at most 3 s; -1 if it is still running.
    int exit_status() {
        int status = 0;
        bool done = test::wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; }, 3000);
        if (!done) return -1;
        pid = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    test::TempDir state;
    wire::Key first;
    wire::Key second;
    std::uint16_t port = 0;
    pid_t pid = -1;
    int commander_fd = -1;
};

}  // namespace

TEST_CASE("the loop hands valid packets on, drops the others, and stops on SIGTERM with 0", "[server][loop]") {
    LoopChild child(LoopChild::Reload::none);
    child.send(child.first, "open_ssh");
    std::optional<wire::CommanderMessage> m = child.next_message();
    REQUIRE(m.has_value());
    CHECK(m->cmd_hash == wire::command_hash("open_ssh"));
    CHECK(m->ip == *wire::Ip::parse("127.0.0.1"));
    CHECK(exists(child.state.file("replay.state")));  // written before the message was sent

    // Dropped: an oversized copy of a valid packet, and a key the server does not hold. The
    // next message is the valid packet sent after them, so neither was handed on.
    child.send(child.first, "oversized", 95);
    child.send(child.second, "unknown");
    child.send(child.first, "after");
    m = child.next_message();
    REQUIRE(m.has_value());
    CHECK(m->cmd_hash == wire::command_hash("after"));

    // No reload function: SIGHUP is ignored, not the default action that would kill the loop.
    REQUIRE(kill(child.pid, SIGHUP) == 0);
    child.send(child.first, "still_running");
    m = child.next_message();
    REQUIRE(m.has_value());
    CHECK(m->cmd_hash == wire::command_hash("still_running"));

    REQUIRE(kill(child.pid, SIGTERM) == 0);
    CHECK(child.exit_status() == 0);
}

TEST_CASE("SIGHUP reloads the keys, and a failed reload keeps the old set", "[server][loop]") {
    LoopChild child(LoopChild::Reload::add_second_then_fail);
    child.send(child.second, "before_reload");  // unknown_key: not handed on
    child.send(child.first, "marker");
    std::optional<wire::CommanderMessage> m = child.next_message();
    REQUIRE(m.has_value());
    CHECK(m->cmd_hash == wire::command_hash("marker"));

    REQUIRE(kill(child.pid, SIGHUP) == 0);
    REQUIRE(test::wait_until([&] { return exists(child.state.file("reload1")); }, 3000));
    child.send(child.second, "second_key");
    m = child.next_message();
    REQUIRE(m.has_value());
    CHECK(m->cmd_hash == wire::command_hash("second_key"));

    // The second reload fails: both keys of the first reload stay in use.
    REQUIRE(kill(child.pid, SIGHUP) == 0);
    REQUIRE(test::wait_until([&] { return exists(child.state.file("reload2")); }, 3000));
    child.send(child.second, "kept");
    m = child.next_message();
    REQUIRE(m.has_value());
    CHECK(m->cmd_hash == wire::command_hash("kept"));

    REQUIRE(kill(child.pid, SIGINT) == 0);
    CHECK(child.exit_status() == 0);
}

TEST_CASE("a commander that closes its socketpair end stops the loop with 1", "[server][loop][negative]") {
    LoopChild child(LoopChild::Reload::none);
    close(child.commander_fd);
    child.commander_fd = -1;
    CHECK(child.exit_status() == 1);
}
