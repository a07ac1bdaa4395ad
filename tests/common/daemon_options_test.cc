// The daemons' command line: -c/--config FILE, --check, --pending, --run-pending-now; a bad
// option is one line on stderr naming it, and exit code 2.
#include "modules/common/daemon_options.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "modules/common/server_config.h"
#include "tests/support/process.h"

using namespace ruroco;

namespace {

struct Parsed {
    std::optional<DaemonOptions> options;
    int exit_code = -1;
    std::string err;
    std::string out;
};

// Parses args (after the role name) with stdout and stderr captured in files.
Parsed parse(std::vector<std::string> args) {
    args.insert(args.begin(), "ruroco-server");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    test::TempDir dir;
    std::fflush(stdout);
    std::fflush(stderr);
    int saved_out = dup(1);
    int saved_err = dup(2);
    int out = open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = open(dir.file("err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE((saved_out >= 0 && saved_err >= 0 && out >= 0 && err >= 0));
    dup2(out, 1);
    dup2(err, 2);
    Parsed p;
    p.exit_code = -1;
    p.options = parse_daemon_options("ruroco-server", "test", static_cast<int>(args.size()), argv.data(),
                                     p.exit_code);
    std::fflush(stdout);
    std::fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    close(out);
    close(err);
    p.out = test::read_text(dir.file("out"));
    p.err = test::read_text(dir.file("err"));
    return p;
}

std::size_t lines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace

TEST_CASE("no options: the default server.ini, nothing else", "[common][daemon_options]") {
    Parsed p = parse({});
    REQUIRE(p.options.has_value());
    CHECK(p.options->config_path == kDefaultServerConfigPath);
    CHECK_FALSE(p.options->check);
    CHECK_FALSE(p.options->pending);
    CHECK_FALSE(p.options->run_pending_now);
    CHECK(p.err.empty());
}

TEST_CASE("-c FILE, --config FILE, --config=FILE and --check", "[common][daemon_options]") {
    Parsed short_form = parse({"-c", "/tmp/x.ini"});
    REQUIRE(short_form.options.has_value());
    CHECK(short_form.options->config_path == "/tmp/x.ini");
    CHECK_FALSE(short_form.options->check);

    Parsed long_form = parse({"--config", "/etc/other.ini", "--check"});
    REQUIRE(long_form.options.has_value());
    CHECK(long_form.options->config_path == "/etc/other.ini");
    CHECK(long_form.options->check);

    Parsed equals = parse({"--check", "--config=/e.ini"});
    REQUIRE(equals.options.has_value());
    CHECK(equals.options->config_path == "/e.ini");
    CHECK(equals.options->check);

    Parsed pending = parse({"--pending"});
    REQUIRE(pending.options.has_value());
    CHECK(pending.options->pending);
    Parsed now = parse({"--run-pending-now", "-c", "/r.ini"});
    REQUIRE(now.options.has_value());
    CHECK(now.options->run_pending_now);
    CHECK(now.options->config_path == "/r.ini");
}

TEST_CASE("a bad command line exits 2 with one line naming the problem",
          "[common][daemon_options][negative]") {
    struct Case {
        std::vector<std::string> args;
        const char* names;
    };
    for (const Case& c : {
             Case{{"--bogus"}, "bogus"},
             Case{{"-x"}, "x"},
             Case{{"-c"}, "missing an argument"},
             Case{{"stray"}, "stray"},
             Case{{"--check", "--pending"}, "exclude each other"},
             Case{{"--check=yes"}, "yes"},
         }) {
        INFO(c.args[0]);
        Parsed p = parse(c.args);
        CHECK_FALSE(p.options.has_value());
        CHECK(p.exit_code == 2);
        CHECK(lines(p.err) == 1);
        CHECK(p.err.rfind("ruroco-server: ", 0) == 0);
        CHECK(p.err.find(c.names) != std::string::npos);
        CHECK(p.out.empty());
    }
}

TEST_CASE("--help prints the options on stdout and exits 0", "[common][daemon_options]") {
    Parsed p = parse({"--help"});
    CHECK_FALSE(p.options.has_value());
    CHECK(p.exit_code == 0);
    CHECK(p.out.find("--config") != std::string::npos);
    CHECK(p.out.find("--check") != std::string::npos);
    CHECK(p.err.empty());
}
