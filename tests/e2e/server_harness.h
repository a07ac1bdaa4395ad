// A real privilege-separated ruroco-server on loopback, for the e2e tests: a temporary
// config, one key, a commands.ini whose commands append $RUROCO_IP to a file, and helpers to
// send hand-built datagrams and read the server's counters. Needs root (it drops to 'nobody').
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "wire/key.h"
#include "wire/packet.h"

namespace ruroco::test {

// Why a root-only test cannot run here, or "" when it can.
std::string why_no_root();

// In a Catch2 test: skip (with the reason printed) unless running as root.
#define REQUIRE_ROOT()                                  \
    do {                                                \
        std::string why = why_no_root();                \
        if (!why.empty()) {                             \
            WARN("skipped: " << why);                   \
            return;                                     \
        }                                               \
    } while (0)


std::uint64_t now_ns();

struct ServerOptions {
    std::string extra_server_ini;  // lines added to [server]
    std::string commands_ini;      // replaces the default commands
    std::uint32_t rate_per_ip = 1000;
    std::string listen_host = "127.0.0.1";  // "[::]" for a dual-stack listener
    // Start under systemd-socket-activate, which binds the port and hands it over as fd 3.
    bool socket_activation = false;
};

class ServerHarness {
  public:
    explicit ServerHarness(ServerOptions options = {});
    ~ServerHarness();

    // Starts the server and waits until its network child has dropped to 'nobody' (under
    // socket activation: until the port is bound; the first datagram starts the server).
    void start();
    // SIGKILL to the parent and the child at once: the whole service dies without warning.
    void kill_all();
    void stop();

    pid_t parent_pid() const { return parent_; }
    pid_t child_pid();  // the current network child, 0 if none

    const wire::Key& key() const { return key_; }
    std::uint16_t port() const { return port_; }
    const TempDir& dir() const { return dir_; }
    std::string log() const;
    const std::string& config_path() const { return config_; }
    std::string ran_file(const std::string& command) const { return dir_.file("ran." + command); }

    wire::ClientData packet_data(const std::string& command) const;
    wire::Packet seal(const wire::ClientData& data) const { return wire::seal_packet(key_, data); }
    // Sends from source_ip (a 127.x.y.z address) to the server.
    void send(const std::uint8_t* data, std::size_t size, const std::string& source_ip = "127.0.0.1") const;
    void send(const wire::Packet& p, const std::string& source_ip = "127.0.0.1") const {
        send(p.data(), p.size(), source_ip);
    }

    // Asks the network child for its counters (SIGUSR1) and returns them by reason name.
    std::map<std::string, std::uint64_t> counters();
    // Lines in ran.<command>; waits up to timeout_ms for at least `expected` of them.
    std::vector<std::string> wait_for_runs(const std::string& command, std::size_t expected,
                                           int timeout_ms = 5000) const;

  private:
    TempDir dir_;
    wire::Key key_;
    std::uint16_t port_ = 0;
    pid_t parent_ = 0;
    std::string config_;
    bool socket_activation_ = false;
};

std::vector<std::string> read_lines(const std::string& path);

}  // namespace ruroco::test
