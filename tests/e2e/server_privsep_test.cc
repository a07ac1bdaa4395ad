// Privilege separation and the commander through the real server: what /proc says about the
// network child, the commands' environment, timeouts, concurrency, restarts and SIGHUP.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <vector>
#include <sstream>

#include "modules/common/key_file.h"
#include "tests/e2e/server_harness.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

std::string status_field(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            std::string value = line.substr(field.size() + 1);
            size_t begin = value.find_first_not_of(" \t");
            size_t end = value.find_last_not_of(" \t");
            return begin == std::string::npos ? "" : value.substr(begin, end - begin + 1);
        }
    }
    return "";
}

// The inode of the UDP socket bound to 127.0.0.1:port, from /proc/net/udp.
std::string udp_socket_inode(std::uint16_t port) {
    std::ostringstream local;
    local << "0100007F:" << std::uppercase << std::hex;
    local.width(4);
    local.fill('0');
    local << port;
    std::istringstream table(read_text("/proc/net/udp"));
    std::string line;
    std::getline(table, line);  // header
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::vector<std::string> f;
        std::string field;
        while (fields >> field) f.push_back(field);
        if (f.size() > 9 && f[1] == local.str()) return f[9];
    }
    return "";
}

bool holds_socket(pid_t pid, const std::string& inode) {
    for (int fd = 0; fd < 1024; ++fd) {
        char target[256] = {};
        std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
        ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
        if (n > 0 && std::string(target, static_cast<size_t>(n)) == "socket:[" + inode + "]") return true;
    }
    return false;
}

bool alive(pid_t pid) { return kill(pid, 0) == 0 && status_field(pid, "State").rfind("Z", 0) != 0; }

}  // namespace

TEST_CASE("the network child is not root, holds no capability, is chrooted and has no_new_privs", "[e2e][root][privsep]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    pid_t child = server.child_pid();
    REQUIRE(child != 0);
    CHECK(status_field(child, "Uid") == "65534\t65534\t65534\t65534");
    CHECK(status_field(child, "Gid").rfind("65534\t65534\t65534", 0) == 0);
    CHECK(status_field(child, "Groups") == "65534");
    CHECK(status_field(child, "CapEff") == "0000000000000000");
    CHECK(status_field(child, "CapPrm") == "0000000000000000");
    CHECK(status_field(child, "CapBnd").size() == 16);
    CHECK(status_field(child, "NoNewPrivs") == "1");
    // Filter mode: installed just after the drop this test waited for, so give it a moment.
    CHECK(wait_until([&] { return status_field(child, "Seccomp") == "2"; }, 5000));
    CHECK(status_field(server.parent_pid(), "Seccomp") == "0");
    char root[4096] = {};
    ssize_t n = readlink(("/proc/" + std::to_string(child) + "/root").c_str(), root, sizeof root - 1);
    REQUIRE(n > 0);
    CHECK(std::string(root, static_cast<size_t>(n)) == server.dir().file("empty"));
    // The parent, the commander, stays root and holds no UDP socket: only the child does.
    CHECK(status_field(server.parent_pid(), "Uid").rfind("0\t", 0) == 0);
    std::string inode = udp_socket_inode(server.port());
    REQUIRE_FALSE(inode.empty());
    CHECK(holds_socket(child, inode));
    CHECK_FALSE(holds_socket(server.parent_pid(), inode));
}

TEST_CASE("a command runs with a clean environment", "[e2e][root][commander]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = "[default]\nstart = env > @DIR@/env.txt; echo \"$RUROCO_IP\" >> @DIR@/ran.default\n";
    ServerHarness server(options);
    server.start();
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    std::set<std::string> names;
    for (const std::string& line : read_lines(server.dir().file("env.txt"))) names.insert(line.substr(0, line.find('=')));
    // dash adds PWD; nothing of the server's own environment may leak through.
    names.erase("PWD");
    CHECK(names == std::set<std::string>{"PATH", "RUROCO_IP", "RUROCO_COMMAND"});
    std::string env = read_text(server.dir().file("env.txt"));
    CHECK(env.find("PATH=/usr/sbin:/usr/bin:/sbin:/bin\n") != std::string::npos);
    CHECK(env.find("RUROCO_COMMAND=default\n") != std::string::npos);
    CHECK(env.find("RUROCO_IP=127.0.0.1\n") != std::string::npos);
}

TEST_CASE("a command that outlives its timeout is killed with its children", "[e2e][root][commander]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini =
        "[default]\ntimeout = 1\nstart = sleep 60 & echo $! > @DIR@/bg.pid; echo $$ > @DIR@/sh.pid; wait\n";
    ServerHarness server(options);
    server.start();
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(wait_until([&] { return read_lines(server.dir().file("bg.pid")).size() == 1 &&
                                    read_lines(server.dir().file("sh.pid")).size() == 1; }, 5000));
    pid_t background = std::stoi(read_lines(server.dir().file("bg.pid"))[0]);
    pid_t shell = std::stoi(read_lines(server.dir().file("sh.pid"))[0]);
    CHECK(alive(background));
    CHECK(wait_until([&] { return !alive(background) && !alive(shell); }, 8000));
    CHECK(server.log().find("timeout") != std::string::npos);
}

TEST_CASE("ten commands sleeping at once do not delay an eleventh", "[e2e][root][commander]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini =
        "[sleeper]\nstart = echo $$ >> @DIR@/sleepers; sleep 5\n"
        "[default]\nstart = echo \"$RUROCO_IP\" >> @DIR@/ran.default\n";
    ServerHarness server(options);
    server.start();
    for (int i = 0; i < 10; ++i) server.send(server.seal(server.packet_data("sleeper")));
    REQUIRE(wait_until([&] { return read_lines(server.dir().file("sleepers")).size() == 10; }, 5000));
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1, 4000).size() == 1);
    // The eleventh ran while all ten were still sleeping.
    for (const std::string& pid : read_lines(server.dir().file("sleepers"))) CHECK(alive(std::stoi(pid)));
}

TEST_CASE("a killed network child is restarted and replay protection holds", "[e2e][root][privsep]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    wire::Packet first = server.seal(server.packet_data("default"));
    server.send(first);
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);
    pid_t old_child = server.child_pid();
    kill(old_child, SIGKILL);
    REQUIRE(wait_until([&] { pid_t c = server.child_pid(); return c != 0 && c != old_child; }, 10000));
    server.send(first);
    server.send(server.seal(server.packet_data("open_ssh")));
    REQUIRE(server.wait_for_runs("open_ssh", 1).size() == 1);
    CHECK(read_lines(server.ran_file("default")).size() == 1);
    CHECK(server.log().find("was killed by KILL") != std::string::npos);
}

TEST_CASE("SIGHUP loads new keys, and keeps the old ones when the new set is invalid", "[e2e][root][privsep]") {
    REQUIRE_ROOT();
    ServerHarness server;
    server.start();
    wire::Key second = std::move(wire::Key::generate().value());
    // An invalid set: a world-readable key file. The old key must keep working.
    REQUIRE(write_new_key_file(server.dir().file("keys/second.key"), second).ok());
    chmod(server.dir().file("keys/second.key").c_str(), 0644);
    pid_t child = server.child_pid();
    kill(server.parent_pid(), SIGHUP);
    REQUIRE(wait_until([&] { return server.log().find("keeps the keys it has") != std::string::npos; }, 5000));
    CHECK(server.child_pid() == child);
    server.send(server.seal(server.packet_data("default")));
    REQUIRE(server.wait_for_runs("default", 1).size() == 1);

    // Fixed: SIGHUP restarts the child, which then knows both keys.
    chmod(server.dir().file("keys/second.key").c_str(), 0600);
    kill(server.parent_pid(), SIGHUP);
    REQUIRE(wait_until([&] { pid_t c = server.child_pid(); return c != 0 && c != child; }, 10000));
    server.send(wire::seal_packet(second, server.packet_data("open_ssh")));
    CHECK(server.wait_for_runs("open_ssh", 1).size() == 1);
}

TEST_CASE("a key file that group or others can read stops the server with exit 2", "[e2e][root][negative]") {
    REQUIRE_ROOT();
    ServerHarness server;
    chmod(server.dir().file("keys/test.key").c_str(), 0640);
    RunResult r = run({ruroco_bin(), "server", "-c", server.dir().file("server.ini")});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("chmod 600 " + server.dir().file("keys/test.key")) != std::string::npos);
    RunResult check = run({ruroco_bin(), "server", "-c", server.dir().file("server.ini"), "--check"});
    CHECK(check.exit_code == 2);
    CHECK(check.err.find("group or others") != std::string::npos);
}

TEST_CASE("--check reports every problem at once, with file:line", "[e2e][negative]") {
    TempDir dir;
    write_text(dir.file("server.ini"),
               "[server]\nlisten = example.com:1\nmax_clock_skew = soon\nbogus = 1\n[extra]\n[commander]\n"
               "commands = " + dir.file("commands.ini") + "\n");
    write_text(dir.file("commands.ini"), "[x]\nstop = y\n");
    RunResult r = run({ruroco_bin(), "server", "-c", dir.file("server.ini"), "--check"});
    CHECK(r.exit_code == 2);
    std::string ini = dir.file("server.ini");
    CHECK(r.err.find(ini + ":2: listen") != std::string::npos);
    CHECK(r.err.find(ini + ":3: max_clock_skew") != std::string::npos);
    CHECK(r.err.find(ini + ":4: unknown key 'bogus'") != std::string::npos);
    CHECK(r.err.find(ini + ":5: unknown section [extra]") != std::string::npos);
    CHECK(r.err.find("key_dir /etc/ruroco/keys") != std::string::npos);  // the default, absent here
    CHECK(r.out.empty());
}
