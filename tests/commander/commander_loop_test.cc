// CommanderLoop end to end within one process tree: messages through a socketpair run the
// configured commands with a clean environment; every kind of bad message is refused; timeouts
// kill the whole process group; slow commands never delay the next message.
#include "modules/commander/commander_loop.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "modules/common/log.h"
#include "tests/commander/loop_child.h"
#include "tests/support/process.h"
#include "wire/commander_message.h"
#include "wire/hash.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Waits for a file the command writes with tmp+mv, so it is complete once it exists.
bool wait_for_file(const std::string& path, int timeout_ms = 5000) {
    return wait_until([&] { return exists(path); }, timeout_ms);
}

std::map<std::string, std::string> parse_env(const std::string& text) {
    std::map<std::string, std::string> env;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::size_t eq = line.find('=');
        if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return env;
}

pid_t read_pid(const std::string& path) { return static_cast<pid_t>(std::atoi(read_text(path).c_str())); }

struct Fixture {
    TempDir dir;
    std::string commands = dir.file("commands.ini");
    std::string log = dir.file("log");
    // A command that writes "$what" atomically to DIR/name.
    std::string writes(const std::string& name, const std::string& what) const {
        return "printf '%s\\n' " + what + " > " + dir.file(name + ".tmp") + " && mv " +
               dir.file(name + ".tmp") + " " + dir.file(name);
    }
};

}  // namespace

TEST_CASE("loop: a valid message runs the command with exactly the clean environment") {
    Fixture f;
    // Something the commander's own environment holds that must not reach the command.
    setenv("RUROCO_TEST_CANARY", "leaked", 1);
    write_text(f.commands, "[show_env]\nstart = env > " + f.dir.file("env.tmp") + " && mv " +
                               f.dir.file("env.tmp") + " " + f.dir.file("env") + "\n");
    LoopChild loop(commander_config(f.commands), f.log);
    loop.send_command("show_env", "192.0.2.5");
    REQUIRE(wait_for_file(f.dir.file("env")));
    std::map<std::string, std::string> env = parse_env(read_text(f.dir.file("env")));
    INFO(read_text(f.dir.file("env")));
    CHECK(env["PATH"] == "/usr/sbin:/usr/bin:/sbin:/bin");
    CHECK(env["RUROCO_IP"] == "192.0.2.5");
    CHECK(env["RUROCO_COMMAND"] == "show_env");
    // Whatever else is there must come from /bin/sh itself: dash exports PWD (the command
    // runs in "/"); bash also adds SHLVL and "_" (the last command). Nothing else.
    const std::set<std::string> from_shell = {"PWD", "SHLVL", "_"};
    for (const auto& [name, value] : env) {
        if (name == "PATH" || name == "RUROCO_IP" || name == "RUROCO_COMMAND") continue;
        INFO("unexpected variable " << name);
        CHECK(from_shell.count(name) == 1);
    }
    CHECK(env.count("RUROCO_TEST_CANARY") == 0);
    if (env.count("PWD") != 0) CHECK(env["PWD"] == "/");
    unsetenv("RUROCO_TEST_CANARY");
    CHECK(loop.wait_for_log("command show_env (ip 192.0.2.5): exited with status 0"));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: RUROCO_IP is the canonical text for IPv4 and IPv6") {
    Fixture f;
    write_text(f.commands, "[ip]\nstart = " + f.writes("ip-$$", "\"$RUROCO_IP\"") + "\n");
    LoopChild loop(commander_config(f.commands), f.log);
    loop.send_command("ip", "::ffff:198.51.100.7");
    REQUIRE(loop.wait_for_log("command ip (ip 198.51.100.7): exited"));
    loop.send_command("ip", "2001:0db8:0:0:0:0:0:0007");
    REQUIRE(loop.wait_for_log("command ip (ip 2001:db8::7): exited"));
    std::set<std::string> seen;
    for (const char* name : {"198.51.100.7\n", "2001:db8::7\n"}) seen.insert(name);
    std::set<std::string> written;
    std::string listing = run({"/bin/sh", "-c", "cat " + f.dir.path() + "/ip-*"}).out;
    std::istringstream in(listing);
    std::string line;
    while (std::getline(in, line)) written.insert(line + "\n");
    CHECK(written == seen);
}

TEST_CASE("loop: an unknown hash and an all-zero IP are logged and ignored; the fd stays open") {
    Fixture f;
    write_text(f.commands,
               "[a]\nstart = " + f.writes("a", "a") + "\n[b]\nstart = " + f.writes("b", "b") + "\n");
    LoopChild loop(commander_config(f.commands), f.log);

    loop.send_command("no_such_command", "192.0.2.5");
    wire::CommanderMessageBytes zero = wire::encode_commander_message({wire::command_hash("a"), wire::Ip{}});
    loop.send(std::vector<std::uint8_t>(zero.begin(), zero.end()));
    loop.send_command("b", "192.0.2.6");  // proves the fd is still read after both

    REQUIRE(wait_for_file(f.dir.file("b")));
    CHECK(loop.log_contains("unknown command hash " +
                            wire::hash_to_hex(wire::command_hash("no_such_command")) + " from 192.0.2.5"));
    CHECK(loop.log_contains("all-zero IP"));
    CHECK(loop.wait_for_log("command b (ip 192.0.2.6): exited"));
    CHECK(loop.stop() == 0);
    // Messages are handled in order: by the time b ran, the zero-IP "a" had been refused.
    CHECK_FALSE(loop.log_contains("command a ("));
    CHECK_FALSE(exists(f.dir.file("a")));
    CHECK_FALSE(loop.log_contains("on_closed called"));
}

TEST_CASE("loop: a message of the wrong size closes the fd and calls on_closed") {
    Fixture f;
    write_text(f.commands, "[a]\nstart = " + f.writes("a", "a") + "\n");
    std::size_t size = GENERATE(as<std::size_t>{}, 23, 25, 1);
    LoopChild loop(commander_config(f.commands), f.log);
    std::vector<std::uint8_t> message(size, 0x11);
    loop.send(message);
    REQUIRE(loop.wait_for_log("TEST: on_closed called"));
    CHECK(loop.log_contains("commander message of " + std::to_string(size) + " bytes, expected 24"));
    // Our end sees the loop's end closed.
    char byte;
    CHECK(recv(loop.fd(), &byte, 1, 0) == 0);
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: EOF on the message fd calls on_closed once") {
    Fixture f;
    write_text(f.commands, "[a]\nstart = true\n");
    LoopChild loop(commander_config(f.commands), f.log);
    shutdown(loop.fd(), SHUT_WR);
    REQUIRE(loop.wait_for_log("TEST: on_closed called"));
    CHECK(loop.stop() == 0);
    std::string log = loop.log();
    CHECK(log.find("on_closed called") == log.rfind("on_closed called"));
}

TEST_CASE("loop: an IP outside allow_from is refused") {
    Fixture f;
    write_text(f.commands, "[a]\nstart = " + f.writes("a-$RUROCO_IP", "a") + "\n");
    LoopChild loop(commander_config(f.commands, "allow_from = 10.0.0.0/8, 2001:db8::/32\n"), f.log);
    loop.send_command("a", "192.0.2.5");
    loop.send_command("a", "2001:db9::1");
    loop.send_command("a", "10.1.2.3");
    REQUIRE(wait_for_file(f.dir.file("a-10.1.2.3")));
    CHECK(loop.log_contains("command a for 192.0.2.5 refused: the IP is outside allow_from"));
    CHECK(loop.log_contains("command a for 2001:db9::1 refused: the IP is outside allow_from"));
    CHECK_FALSE(exists(f.dir.file("a-192.0.2.5")));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: a command past its timeout is killed with its whole process group") {
    Fixture f;
    write_text(f.commands, "[slow]\ntimeout = 1\nstart = sleep 30 & echo $! > " + f.dir.file("bg.tmp") +
                               "; mv " + f.dir.file("bg.tmp") + " " + f.dir.file("bg") + "; echo $$ > " +
                               f.dir.file("sh.tmp") + "; mv " + f.dir.file("sh.tmp") + " " +
                               f.dir.file("sh") + "; sleep 30; wait\n");
    LoopChild loop(commander_config(f.commands), f.log);
    auto sent = std::chrono::steady_clock::now();
    loop.send_command("slow", "192.0.2.5");
    REQUIRE(wait_for_file(f.dir.file("bg")));
    REQUIRE(wait_for_file(f.dir.file("sh")));
    pid_t background = read_pid(f.dir.file("bg"));
    pid_t shell = read_pid(f.dir.file("sh"));
    REQUIRE(background > 1);
    REQUIRE(shell > 1);
    CHECK_FALSE(process_gone(background));
    CHECK(getpgid(background) == shell);  // the shell leads the command's own group

    REQUIRE(wait_until([&] { return process_gone(background) && process_gone(shell); }, 6000));
    auto took = std::chrono::steady_clock::now() - sent;
    CHECK(took >= std::chrono::milliseconds(900));
    CHECK(took < std::chrono::seconds(6));
    CHECK(loop.wait_for_log("command slow (ip 192.0.2.5): still running after its 1 s timeout"));
    CHECK(loop.wait_for_log("command slow (ip 192.0.2.5): timed out (timeout 1 s); killed by signal"));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: a group member that ignores SIGTERM gets SIGKILL after the grace period") {
    Fixture f;
    write_text(f.commands, "[stubborn]\ntimeout = 1\nstart = sh -c 'trap \"\" TERM; echo $$ > " +
                               f.dir.file("p.tmp") + "; mv " + f.dir.file("p.tmp") + " " + f.dir.file("p") +
                               "; while :; do sleep 0.1; done' & wait\n");
    LoopChild loop(commander_config(f.commands), f.log);
    loop.send_command("stubborn", "192.0.2.5");
    REQUIRE(wait_for_file(f.dir.file("p")));
    pid_t stubborn = read_pid(f.dir.file("p"));
    REQUIRE(stubborn > 1);
    REQUIRE(loop.wait_for_log("still running after its 1 s timeout"));
    CHECK_FALSE(process_gone(stubborn));  // survived the SIGTERM
    CHECK(wait_until([&] { return process_gone(stubborn); }, 5000));
    CHECK(loop.wait_for_log("sent SIGKILL 2 s after SIGTERM"));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: ten slow commands do not delay an eleventh") {
    Fixture f;
    write_text(f.commands, "[sleeper]\nstart = " + f.writes("sleeper-$$", "$$") + "; sleep 3\n" +
                               "[quick]\nstart = " + f.writes("quick", "done") + "\n");
    LoopChild loop(commander_config(f.commands), f.log);
    auto sent = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) loop.send_command("sleeper", "192.0.2.5");
    loop.send_command("quick", "192.0.2.6");
    REQUIRE(wait_for_file(f.dir.file("quick"), 2500));
    auto took = std::chrono::steady_clock::now() - sent;
    CHECK(took < std::chrono::milliseconds(2500));
    CHECK_FALSE(loop.log_contains("command sleeper (ip 192.0.2.5): exited"));

    // All ten were started and are still sleeping.
    std::vector<pid_t> sleepers;
    REQUIRE(wait_until(
        [&] {
            std::string out =
                run({"/bin/sh", "-c", "ls " + f.dir.path() + " | grep -c '^sleeper-[0-9]*$'"}).out;
            return std::atoi(out.c_str()) == 10;
        },
        2000));
    std::string listing = run({"/bin/sh", "-c", "cat " + f.dir.path() + "/sleeper-[0-9]*"}).out;
    std::istringstream in(listing);
    std::string line;
    while (std::getline(in, line)) sleepers.push_back(static_cast<pid_t>(std::atoi(line.c_str())));
    REQUIRE(sleepers.size() == 10);
    if (std::chrono::steady_clock::now() - sent < std::chrono::milliseconds(2500)) {
        for (pid_t pid : sleepers) CHECK_FALSE(process_gone(pid));
    }
    CHECK(loop.wait_for_log("command quick (ip 192.0.2.6): exited with status 0"));
    CHECK(loop.stop() == 0);
    for (pid_t pid : sleepers) kill(-pid, SIGKILL);
}

TEST_CASE("loop: beyond max_running, requests are dropped and logged") {
    Fixture f;
    write_text(f.commands,
               "[sleeper]\nstart = sleep 3\n[quick]\nstart = " + f.writes("quick", "done") + "\n");
    LoopChild loop(commander_config(f.commands, "max_running = 2\n"), f.log);
    loop.send_command("sleeper", "192.0.2.5");
    loop.send_command("sleeper", "192.0.2.5");
    loop.send_command("quick", "192.0.2.6");
    REQUIRE(
        loop.wait_for_log("command quick for 192.0.2.6 dropped: 2 commands already running (max_running 2)"));
    CHECK_FALSE(exists(f.dir.file("quick")));
    CHECK(loop.stop() == 0);
    // Kill the orphaned sleepers: their pids are in the "started" log lines.
    std::istringstream in(loop.log());
    std::string line;
    while (std::getline(in, line)) {
        std::size_t at = line.find("started, pid ");
        if (at != std::string::npos) kill(-std::atoi(line.c_str() + at + 13), SIGKILL);
    }
}

TEST_CASE("loop: output is captured, logged line by line, and capped") {
    Fixture f;
    write_text(f.commands,
               "[talk]\nstart = echo hello; echo 'to stderr' >&2; printf 'no newline\\033[0m'; exit 3\n"
               "[flood]\nstart = head -c 100000 /dev/zero | tr '\\0' a\n");
    LoopChild loop(commander_config(f.commands), f.log);
    loop.send_command("talk", "192.0.2.5");
    REQUIRE(loop.wait_for_log("command talk (ip 192.0.2.5): exited with status 3 after"));
    CHECK(loop.log_contains("command talk (ip 192.0.2.5): hello\n"));
    CHECK(loop.log_contains("command talk (ip 192.0.2.5): to stderr\n"));
    // Control characters never reach the log.
    CHECK(loop.log_contains("command talk (ip 192.0.2.5): no newline?[0m\n"));

    loop.send_command("flood", "192.0.2.5");
    REQUIRE(loop.wait_for_log("command flood (ip 192.0.2.5): exited with status 0"));
    CHECK(loop.log_contains("command flood (ip 192.0.2.5): 34464 bytes not shown"));
    CHECK(loop.log_contains("command flood (ip 192.0.2.5): " + std::string(1024, 'a') + "\n"));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: SIGHUP reloads commands.ini and keeps the old table when the new one is bad") {
    Fixture f;
    write_text(f.commands, "[old]\nstart = " + f.writes("old", "x") + "\n");
    LoopChild loop(commander_config(f.commands), f.log,
                   [](CommanderLoop& l) { l.on_sighup([] { log_info("TEST: sighup hook"); }); });

    write_text(f.commands, "[old]\nstrat = oops\n");
    kill(loop.pid(), SIGHUP);
    REQUIRE(loop.wait_for_log("keeping the 1 commands loaded before"));
    CHECK(loop.log_contains(f.commands + ":2: unknown key 'strat' in [old]"));
    loop.send_command("old", "192.0.2.5");
    REQUIRE(wait_for_file(f.dir.file("old")));

    write_text(f.commands, "[new]\nstart = " + f.writes("new", "x") + "\n");
    kill(loop.pid(), SIGHUP);
    REQUIRE(loop.wait_for_log("SIGHUP: reloaded 1 commands"));
    CHECK(loop.log_contains("TEST: sighup hook"));
    loop.send_command("new", "192.0.2.5");
    REQUIRE(wait_for_file(f.dir.file("new")));
    loop.send_command("old", "192.0.2.5");
    CHECK(loop.wait_for_log("unknown command hash " + wire::hash_to_hex(wire::command_hash("old"))));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: call_after runs from the loop and watch_child gets its child's status") {
    Fixture f;
    write_text(f.commands, "[a]\nstart = true\n");
    LoopChild loop(commander_config(f.commands), f.log, [](CommanderLoop& l) {
        CommanderLoop* self = &l;
        l.call_after(std::chrono::milliseconds(100), [self] {
            log_info("TEST: timer fired");
            pid_t child = fork();
            if (child == 0) _exit(7);
            self->watch_child(child, [](int status) {
                log_info("TEST: watched child exited %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            });
        });
    });
    REQUIRE(loop.wait_for_log("TEST: watched child exited 7"));
    CHECK(loop.log_contains("TEST: timer fired"));
    CHECK_FALSE(loop.log_contains("neither a command nor watched"));
    CHECK(loop.stop() == 0);
}

TEST_CASE("loop: create() refuses a bad commands.ini and lists its problems") {
    Fixture f;
    write_text(f.commands, "[a]\ntimeout = 5\nbogus = 1\n");
    Result<std::unique_ptr<CommanderLoop>> loop = CommanderLoop::create(commander_config(f.commands));
    REQUIRE_FALSE(loop.ok());
    CHECK(loop.error().find(f.commands + ":3: unknown key 'bogus'") != std::string::npos);
    CHECK(loop.error().find(f.commands + ":1: [a] has no start command") != std::string::npos);
}
