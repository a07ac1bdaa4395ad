// Commands that undo themselves: every start is followed by exactly one stop, with the same
// IP, whatever was killed and when. Runs the real privilege-separated server.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "modules/commander/stop_journal.h"
#include "tests/e2e/server_harness.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

std::string commands(int stop_after, const std::string& extra = "") {
    return "[open]\n"
           "start = echo \"start $RUROCO_IP $RUROCO_PHASE. $(date +%s%N)\" >> @DIR@/events\n"
           "stop = echo \"stop $RUROCO_IP $RUROCO_PHASE $(date +%s%N)\" >> @DIR@/events\n"
           "stop_after = " + std::to_string(stop_after) + "\n" + extra;
}

struct Event {
    std::string kind, ip, phase;
    std::uint64_t at_ns;
};

std::vector<Event> events(const ServerHarness& s) {
    std::vector<Event> out;
    for (const std::string& line : read_lines(s.dir().file("events"))) {
        std::istringstream in(line);
        Event e;
        in >> e.kind >> e.ip >> e.phase >> e.at_ns;
        out.push_back(e);
    }
    return out;
}

std::size_t count(const std::vector<Event>& list, const std::string& kind) {
    std::size_t n = 0;
    for (const Event& e : list) n += e.kind == kind;
    return n;
}

bool wait_for(const ServerHarness& s, const std::string& kind, std::size_t n, int timeout_ms) {
    return wait_until([&] { return count(events(s), kind) >= n; }, timeout_ms);
}

void knock(ServerHarness& s) { s.send(s.seal(s.packet_data("open"))); }

// The wall clock reaching a deadline is the condition here, so waiting for it is the test.
void wait_past(std::uint64_t wall_ns) {
    while (now_ns() < wall_ns) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

constexpr std::uint64_t kSecond = 1000000000ull;

}  // namespace

TEST_CASE("start, then stop_after seconds later the stop, with the same IP and RUROCO_PHASE=stop", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(1);
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "stop", 1, 6000));
    std::vector<Event> e = events(server);
    REQUIRE(e.size() == 2);
    CHECK(e[0].kind == "start");
    CHECK(e[0].ip == "127.0.0.1");
    CHECK(e[0].phase == ".");  // no RUROCO_PHASE for the start
    CHECK(e[1].kind == "stop");
    CHECK(e[1].ip == "127.0.0.1");
    CHECK(e[1].phase == "stop");
    CHECK(e[1].at_ns - e[0].at_ns >= 9 * kSecond / 10);
}

TEST_CASE("a second knock while the stop is pending extends it and runs start once", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(2);
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "start", 1, 5000));
    std::uint64_t first = events(server)[0].at_ns;
    wait_past(first + kSecond);  // inside the 2 s window
    std::uint64_t second_knock = now_ns();
    knock(server);
    REQUIRE(wait_for(server, "stop", 1, 8000));
    std::vector<Event> e = events(server);
    CHECK(count(e, "start") == 1);
    CHECK(count(e, "stop") == 1);
    CHECK(e.back().at_ns >= second_knock + 19 * kSecond / 10);  // counted from the second knock
    CHECK(server.log().find("deadline extended by 2 s") != std::string::npos);
}

TEST_CASE("restart = rerun runs start again but still one stop", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(2, "restart = rerun\n");
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "start", 1, 5000));
    knock(server);
    REQUIRE(wait_for(server, "start", 2, 5000));
    REQUIRE(wait_for(server, "stop", 1, 8000));
    std::vector<Event> e = events(server);
    CHECK(count(e, "start") == 2);
    CHECK(count(e, "stop") == 1);
}

TEST_CASE("kill -9 of the whole service: an overdue stop runs at once after the restart", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(1);
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "start", 1, 5000));
    server.kill_all();
    wait_past(events(server)[0].at_ns + 2 * kSecond);
    CHECK(count(events(server), "stop") == 0);
    server.start();
    REQUIRE(wait_for(server, "stop", 1, 5000));
    std::vector<Event> e = events(server);
    CHECK(count(e, "stop") == 1);
    CHECK(e.back().ip == "127.0.0.1");
}

TEST_CASE("kill -9 of the whole service: a stop still in the future keeps its deadline", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(3);
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "start", 1, 5000));
    std::uint64_t started = events(server)[0].at_ns;
    server.kill_all();
    server.start();
    REQUIRE(wait_for(server, "stop", 1, 10000));
    std::vector<Event> e = events(server);
    CHECK(count(e, "stop") == 1);
    CHECK(e.back().at_ns >= started + 29 * kSecond / 10);
}

TEST_CASE("a failing stop is retried until it succeeds", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini =
        "[open]\nstart = echo \"start $RUROCO_IP . 0\" >> @DIR@/events\n"
        "stop = if [ ! -e @DIR@/failed_once ]; then touch @DIR@/failed_once; exit 3; fi; "
        "echo \"stop $RUROCO_IP $RUROCO_PHASE 0\" >> @DIR@/events\n"
        "stop_after = 1\n";
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "stop", 1, 10000));
    CHECK(access(server.dir().file("failed_once").c_str(), F_OK) == 0);
    CHECK(server.log().find("retry 1 of 4") != std::string::npos);
    CHECK(count(events(server), "stop") == 1);
}

TEST_CASE("SIGTERM runs nothing early and keeps the journal; --pending and --run-pending-now", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(60);
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "start", 1, 5000));
    server.stop();  // SIGTERM
    CHECK(count(events(server), "stop") == 0);
    std::vector<std::string> problems;
    std::vector<PendingStop> journal =
        parse_journal("journal", read_text(server.dir().file("journal/pending-stops")), problems);
    REQUIRE(journal.size() == 1);
    CHECK(journal[0].command == "open");
    CHECK(journal[0].ip.to_string() == "127.0.0.1");

    RunResult pending = run({ruroco_bin(), "server", "-c", server.config_path(), "--pending"});
    CHECK(pending.exit_code == 0);
    CHECK(pending.out.find("open 127.0.0.1 due ") != std::string::npos);
    std::size_t in = pending.out.find("(in ");
    REQUIRE(in != std::string::npos);
    int seconds_left = std::stoi(pending.out.substr(in + 4));
    CHECK(seconds_left >= 50);  // about 60 s away
    CHECK(seconds_left <= 60);

    RunResult now = run({ruroco_bin(), "server", "-c", server.config_path(), "--run-pending-now"});
    CHECK(now.exit_code == 0);
    CHECK(count(events(server), "stop") == 1);
    CHECK(run({ruroco_bin(), "server", "-c", server.config_path(), "--pending"}).out == "no pending stops\n");
}

TEST_CASE("--run-pending-now asks a running commander to close everything now", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(60);
    ServerHarness server(options);
    server.start();
    knock(server);
    REQUIRE(wait_for(server, "start", 1, 5000));
    RunResult now = run({ruroco_bin(), "commander", "-c", server.config_path(), "--run-pending-now"});
    CHECK(now.exit_code == 0);
    CHECK(now.out.find("asked the running commander (pid " + std::to_string(server.parent_pid())) != std::string::npos);
    REQUIRE(wait_for(server, "stop", 1, 5000));
    CHECK(count(events(server), "stop") == 1);
}

TEST_CASE("a torn journal never crashes the commander and keeps the stops written whole", "[e2e][root][stop]") {
    REQUIRE_ROOT();
    ServerOptions options;
    options.commands_ini = commands(60);
    ServerHarness server(options);
    mkdir(server.dir().file("journal").c_str(), 0700);
    PendingStop whole{"open", *wire::Ip::parse("127.0.0.9"), now_ns() - kSecond, 0, false};
    std::string text = format_journal({whole});
    std::string torn = format_journal({PendingStop{"open", *wire::Ip::parse("127.0.0.10"), now_ns(), 0, false}});
    write_text(server.dir().file("journal/pending-stops"), text + torn.substr(0, torn.size() / 2));
    server.start();
    REQUIRE(wait_for(server, "stop", 1, 5000));
    std::vector<Event> e = events(server);
    CHECK(e.back().ip == "127.0.0.9");
    CHECK(server.log().find("torn last line ignored") != std::string::npos);
    CHECK(kill(server.parent_pid(), 0) == 0);
}
