// commands.ini: what is kept exactly (long commands, ';' inside a value), what is refused with
// its file:line, and the ownership/mode checks on the file itself.
#include "modules/commander/commands_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/process.h"
#include "wire/hash.h"

using namespace ruroco;
using ruroco::test::TempDir;
using ruroco::test::write_text;

namespace {

bool has_problem(const CommandsConfig& c, const std::string& text) {
    for (const std::string& p : c.problems) {
        if (p.find(text) != std::string::npos) return true;
    }
    return false;
}

std::string all_problems(const CommandsConfig& c) {
    std::string text;
    for (const std::string& p : c.problems) text += p + "\n";
    return text;
}

const CommandSpec& command(const CommandsConfig& c, const std::string& name) {
    auto it = c.commands.find(wire::command_hash(name));
    REQUIRE(it != c.commands.end());
    return it->second;
}

}  // namespace

TEST_CASE("commands.ini: a valid file gives one entry per section, keyed by the name's hash") {
    TempDir dir;
    std::string path = dir.file("commands.ini");
    write_text(path,
               "; comment\n"
               "# another comment\n"
               "[open_ssh]\n"
               "start = nft add element inet filter ssh_ok { $RUROCO_IP }\n"
               "stop = nft delete element inet filter ssh_ok { $RUROCO_IP }\n"
               "stop_after = 30\n"
               "timeout = 20\n"
               "restart = rerun\n"
               "\n"
               "[deploy]\n"
               "start = /usr/local/bin/deploy\n",
               0600);
    CommandsConfig c = load_commands_config(path);
    INFO(all_problems(c));
    REQUIRE(c.problems.empty());
    REQUIRE(c.commands.size() == 2);
    const CommandSpec& ssh = command(c, "open_ssh");
    CHECK(ssh.name == "open_ssh");
    CHECK(ssh.start == "nft add element inet filter ssh_ok { $RUROCO_IP }");
    CHECK(ssh.stop == "nft delete element inet filter ssh_ok { $RUROCO_IP }");
    CHECK(ssh.stop_after == 30);
    CHECK(ssh.timeout == 20);
    CHECK(ssh.restart == RestartPolicy::rerun);
    CHECK(ssh.line == 3);
    const CommandSpec& deploy = command(c, "deploy");
    CHECK(deploy.start == "/usr/local/bin/deploy");
    CHECK(deploy.timeout == kDefaultCommandTimeout);
    CHECK(deploy.restart == RestartPolicy::extend);
    CHECK(deploy.stop.empty());
}

TEST_CASE("commands.ini: values are the whole rest of the line") {
    std::string long_command = "echo ";
    while (long_command.size() < 1000) long_command += "x";
    REQUIRE(long_command.size() == 1000);
    CommandsConfig c = parse_commands_text("c.ini", "[long]\nstart = " + long_command +
                                                        "\n[semi]\nstart = a ; b\n"
                                                        "[hash]\nstart = echo a # not a comment\n");
    INFO(all_problems(c));
    REQUIRE(c.problems.empty());
    CHECK(command(c, "long").start == long_command);
    CHECK(command(c, "semi").start == "a ; b");
    CHECK(command(c, "hash").start == "echo a # not a comment");
}

TEST_CASE("commands.ini: each problem is reported with file:line") {
    SECTION("missing start") {
        CommandsConfig c = parse_commands_text("c.ini", "[a]\ntimeout = 5\n");
        CHECK(has_problem(c, "c.ini:1: [a] has no start command"));
        CHECK(c.commands.empty());
    }
    SECTION("empty start") {
        CommandsConfig c = parse_commands_text("c.ini", "[a]\nstart =\n");
        CHECK(has_problem(c, "c.ini:2: start is empty"));
        CHECK_FALSE(has_problem(c, "no start command"));
    }
    SECTION("unknown key") {
        CommandsConfig c = parse_commands_text("c.ini", "[a]\nstart = true\nstrat = true\n");
        CHECK(has_problem(c, "c.ini:3: unknown key 'strat' in [a]"));
    }
    SECTION("duplicate key") {
        CommandsConfig c = parse_commands_text("c.ini", "[a]\nstart = true\nstart = false\n");
        CHECK(has_problem(c, "c.ini:3: key 'start' set twice in [a]"));
    }
    SECTION("duplicate section") {
        CommandsConfig c = parse_commands_text("c.ini", "[a]\nstart = true\n[a]\n");
        CHECK(has_problem(c, "c.ini:3: command [a] appears twice"));
    }
    SECTION("key outside a section") {
        CommandsConfig c = parse_commands_text("c.ini", "start = true\n[a]\nstart = true\n");
        CHECK(has_problem(c, "c.ini:1: key 'start' outside any [command] section"));
    }
    SECTION("stop without stop_after, and the reverse") {
        CommandsConfig c = parse_commands_text(
            "c.ini", "[a]\nstart = true\nstop = false\n[b]\nstart = true\nstop_after = 5\n");
        CHECK(has_problem(c, "c.ini:3: [a] sets stop but not stop_after"));
        CHECK(has_problem(c, "c.ini:6: [b] sets stop_after but not stop"));
        CHECK(c.commands.empty());
    }
    SECTION("out-of-range numbers and a bad restart") {
        CommandsConfig c =
            parse_commands_text("c.ini",
                                "[a]\nstart = true\ntimeout = 0\nrestart = sometimes\n"
                                "[b]\nstart = true\ntimeout = 86401\n[c]\nstart = true\ntimeout = 1x\n");
        CHECK(has_problem(c, "c.ini:3: timeout = 0: out of range 1 to 86400"));
        CHECK(has_problem(c, "c.ini:4: restart = 'sometimes': expected extend or rerun"));
        CHECK(has_problem(c, "c.ini:7: timeout = 86401: out of range"));
        CHECK(has_problem(c, "c.ini:10: timeout = '1x'"));
    }
    SECTION("a line longer than 4096 bytes is an error, not a cut") {
        CommandsConfig c = parse_commands_text("c.ini", "[a]\nstart = " + std::string(5000, 'x') + "\n");
        CHECK(has_problem(c, "c.ini:2: line longer than"));
    }
}

TEST_CASE("commands.ini: a file that group or others can write is refused") {
    TempDir dir;
    std::string path = dir.file("commands.ini");
    write_text(path, "[a]\nstart = true\n", 0620);
    CommandsConfig c = load_commands_config(path);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0] == path + ": mode 0620 lets group or others write it; refusing it (chmod 600)");
    CHECK(c.commands.empty());

    chmod(path.c_str(), 0602);
    c = load_commands_config(path);
    CHECK(has_problem(c, "mode 0602"));

    chmod(path.c_str(), 0644);  // readable is fine: only writing is a way in
    c = load_commands_config(path);
    INFO(all_problems(c));
    CHECK(c.problems.empty());
    CHECK(c.commands.size() == 1);
}

TEST_CASE("commands.ini: a file owned by another user is refused") {
    if (geteuid() != 0) {
        WARN("not root: cannot chown the file to another user; skipped");
        return;
    }
    TempDir dir;
    std::string path = dir.file("commands.ini");
    write_text(path, "[a]\nstart = true\n", 0600);
    REQUIRE(chown(path.c_str(), 65534, 65534) == 0);
    CommandsConfig c = load_commands_config(path);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0] == path + ": owned by uid 65534, expected root; refusing it");
}

TEST_CASE("commands.ini: a missing file is one problem naming it") {
    CommandsConfig c = load_commands_config("/nonexistent/commands.ini");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].find("/nonexistent/commands.ini: cannot open") == 0);
}
