// Separate-services mode: a root ruroco-commander on a Unix socket, and a ruroco-server
// running as an unprivileged user that sends it 24-byte messages. Same code as the
// privilege-separated mode, wired through a socket path instead of a socketpair.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include "modules/common/key_file.h"
#include "tests/e2e/server_harness.h"
#include "wire/hash.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

void stop(pid_t pid) {
    kill(pid, SIGTERM);
    if (!wait_until([&] { return waitpid(pid, nullptr, WNOHANG) == pid; }, 5000)) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
}

}  // namespace

TEST_CASE("separate services: an unprivileged server hands knocks to a root commander", "[e2e][root][separate]") {
    std::string why = why_no_root();
    if (!why.empty() || access("/usr/bin/setpriv", X_OK) != 0) {
        WARN("skipped: needs root and setpriv to start the server as 'nobody'");
        return;
    }
    ServerHarness layout;  // only for its key, port and temporary directory
    const TempDir& dir = layout.dir();
    chmod(dir.path().c_str(), 0755);
    // The server's user owns its keys and its state; the socket is shared through its group.
    REQUIRE(chown(dir.file("keys").c_str(), 65534, 65534) == 0);
    REQUIRE(chown(dir.file("keys/test.key").c_str(), 65534, 65534) == 0);
    mkdir(dir.file("state").c_str(), 0700);
    REQUIRE(chown(dir.file("state").c_str(), 65534, 65534) == 0);
    mkdir(dir.file("run").c_str(), 0755);
    std::ostringstream ini;
    ini << "[server]\nlisten = 127.0.0.1:" << layout.port() << "\nkey_dir = " << dir.file("keys")
        << "\nstate_dir = " << dir.file("state") << "\n[commander]\ncommands = " << dir.file("commands.ini")
        << "\nsocket = " << dir.file("run/commander.sock") << "\nsocket_group = nogroup\njournal_dir = "
        << dir.file("journal") << "\n";
    std::string config = dir.file("separate.ini");
    write_text(config, ini.str(), 0644);

    pid_t commander = spawn({ruroco_bin(), "commander", "-c", config}, dir.file("commander.out"),
                            dir.file("commander.log"));
    REQUIRE(wait_until([&] { return access(dir.file("run/commander.sock").c_str(), F_OK) == 0; }, 5000));
    struct stat st;
    REQUIRE(stat(dir.file("run/commander.sock").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0660);

    RunResult second = run({ruroco_bin(), "commander", "-c", config});
    CHECK(second.exit_code == 1);

    pid_t server = spawn({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                          ruroco_bin(), "server", "-c", config},
                         dir.file("server.out"), dir.file("server.log"));
    bool ready = wait_until([&] { return read_text(dir.file("server.log")).find("separate-services mode") != std::string::npos; }, 5000);
    INFO(read_text(dir.file("server.log")));
    REQUIRE(ready);

    layout.send(layout.seal(layout.packet_data("default")));
    CHECK(layout.wait_for_runs("default", 1) == std::vector<std::string>{"127.0.0.1"});
    stop(server);
    stop(commander);
    CHECK(access(dir.file("run/commander.sock").c_str(), F_OK) != 0);
}

TEST_CASE("a dual-stack [::] listener treats an IPv4 client like an IPv4 listener", "[e2e][root]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.listen_host = "[::]";
    ServerHarness server(options);
    server.start();
    // dst_ip 127.0.0.1 must equal the local address the datagram arrived at, IPv4 form.
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1) == std::vector<std::string>{"127.0.0.1"});
    wire::ClientData wrong = server.packet_data("open_ssh");
    wrong.dst_ip = *wire::Ip::parse("::ffff:127.0.0.2");
    server.send(server.seal(wrong));
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 2).size() == 2);
    CHECK(server.counters()["wrong_destination"] == 1);
}

TEST_CASE("socket activation: the UDP socket arrives as fd 3 and survives child restarts", "[e2e][root]") {
    REQUIRE_ROOT();
    if (access("/usr/bin/systemd-socket-activate", X_OK) != 0) {
        WARN("skipped: systemd-socket-activate is not installed");
        return;
    }
    ServerOptions options;
    options.socket_activation = true;
    options.listen_host = "127.0.0.1";
    ServerHarness server(options);
    server.start();
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1) == std::vector<std::string>{"127.0.0.1"});
    // The parent keeps systemd's socket to hand to the next child, never reading it.
    pid_t old_child = server.child_pid();
    kill(old_child, SIGKILL);
    REQUIRE(wait_until([&] { pid_t c = server.child_pid(); return c != 0 && c != old_child; }, 10000));
    server.send(server.seal(server.packet_data("default")));
    CHECK(server.wait_for_runs("default", 2).size() == 2);
}
