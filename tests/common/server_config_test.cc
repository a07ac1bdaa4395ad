// server.ini: defaults, every key, and every problem reported as file:line.
#include "modules/common/server_config.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

wire::Ip ip(const char* text) {
    return *wire::Ip::parse(text);
}

bool has_problem(const ServerConfig& c, const std::string& text) {
    for (const std::string& p : c.problems) {
        if (p.find(text) != std::string::npos) return true;
    }
    return false;
}

ServerConfig parse(const std::string& text) {
    return parse_server_config_text("/etc/ruroco/server.ini", text);
}

}  // namespace

TEST_CASE("an empty server.ini gives the documented defaults", "[common][server_config]") {
    ServerConfig c = parse("");
    CHECK(c.problems.empty());
    CHECK(c.path == "/etc/ruroco/server.ini");
    CHECK(c.listen_ip.is_zero());
    CHECK(c.listen_ip_is_v6_any);
    CHECK(c.listen_port == 34020);
    CHECK(c.ips.empty());
    CHECK(c.key_dir == "/etc/ruroco/keys");
    CHECK(c.state_dir == "/var/lib/ruroco");
    CHECK(c.user == "ruroco");
    CHECK(c.max_clock_skew == 30);
    CHECK(c.rate_per_ip == 2);
    CHECK(c.rate_global == 1000);
    CHECK(c.rate_table == 65536);
    CHECK(c.commands == "/etc/ruroco/commands.ini");
    CHECK(c.socket == "/run/ruroco/commander.sock");
    CHECK(c.socket_group.empty());
    CHECK(c.max_running == 16);
    // allow_from defaults to everything, IPv4 and IPv6.
    auto allowed = [&](const char* text) {
        for (const Cidr& r : c.allow_from) {
            if (r.contains(ip(text))) return true;
        }
        return false;
    };
    CHECK(allowed("203.0.113.9"));
    CHECK(allowed("2001:db8::1"));
    CHECK(allowed("::1"));
}

TEST_CASE("every key is parsed", "[common][server_config]") {
    ServerConfig c = parse(
        "[server]\n"
        "listen = 127.0.0.1:5000\n"
        "ips = 203.0.113.7, 2001:db8::7\n"
        "key_dir = /k\n"
        "state_dir = /s\n"
        "chroot = /c\n"
        "user = nobody\n"
        "max_clock_skew = 5\n"
        "rate_per_ip = 7\n"
        "rate_global = 99\n"
        "rate_table = 128\n"
        "[commander]\n"
        "commands = /cmds.ini\n"
        "socket = /run/x.sock\n"
        "socket_group = wheel\n"
        "max_running = 3\n"
        "allow_from = 10.0.0.0/8, 2001:db8::/32\n"
        "journal_dir = /j\n");
    INFO((c.problems.empty() ? "" : c.problems[0]));
    CHECK(c.problems.empty());
    CHECK(c.listen_ip == ip("127.0.0.1"));
    CHECK_FALSE(c.listen_ip_is_v6_any);
    CHECK(c.listen_port == 5000);
    REQUIRE(c.ips.size() == 2);
    CHECK(c.ips[0] == ip("203.0.113.7"));
    CHECK(c.ips[1] == ip("2001:db8::7"));
    CHECK(c.key_dir == "/k");
    CHECK(c.state_dir == "/s");
    CHECK(c.chroot == "/c");
    CHECK(c.user == "nobody");
    CHECK(c.max_clock_skew == 5);
    CHECK(c.rate_per_ip == 7);
    CHECK(c.rate_global == 99);
    CHECK(c.rate_table == 128);
    CHECK(c.commands == "/cmds.ini");
    CHECK(c.socket == "/run/x.sock");
    CHECK(c.socket_group == "wheel");
    CHECK(c.max_running == 3);
    CHECK(c.journal_dir == "/j");
    REQUIRE(c.allow_from.size() == 2);
    CHECK(c.allow_from[0].contains(ip("10.1.2.3")));
    CHECK_FALSE(c.allow_from[0].contains(ip("11.0.0.1")));
    CHECK(c.allow_from[1].contains(ip("2001:db8:1::5")));
    CHECK_FALSE(c.allow_from[1].contains(ip("2001:db9::5")));
}

TEST_CASE("listen takes [v6]:port and IPv4:port, never a host name", "[common][server_config]") {
    ServerConfig any = parse("[server]\nlisten = [::]:34020\n");
    CHECK(any.problems.empty());
    CHECK(any.listen_ip.is_zero());
    CHECK(any.listen_ip_is_v6_any);
    CHECK(any.listen_port == 34020);

    ServerConfig loop6 = parse("[server]\nlisten = [::1]:7\n");
    CHECK(loop6.problems.empty());
    CHECK(loop6.listen_ip == ip("::1"));
    CHECK_FALSE(loop6.listen_ip_is_v6_any);
    CHECK(loop6.listen_port == 7);

    ServerConfig v4any = parse("[server]\nlisten = 0.0.0.0\n");
    CHECK(v4any.problems.empty());
    CHECK(v4any.listen_ip == ip("0.0.0.0"));
    CHECK_FALSE(v4any.listen_ip_is_v6_any);
    CHECK(v4any.listen_port == 34020);

    ServerConfig name = parse("[server]\nlisten = example.com:34020\n");
    REQUIRE(name.problems.size() == 1);
    CHECK(has_problem(name, "/etc/ruroco/server.ini:2: listen"));
    CHECK(has_problem(name, "not a name"));

    ServerConfig port = parse("[server]\nlisten = 127.0.0.1:0\n");
    CHECK(has_problem(port, "server.ini:2: listen"));
}

TEST_CASE("unknown keys and sections are reported with file:line", "[common][server_config][negative]") {
    ServerConfig c =
        parse("[server]\nlisten = [::]:1\nlisten_port = 4\n\n[client]\nx = 1\n[commander]\nsokcet = /x\n");
    CHECK(c.problems.size() == 3);
    CHECK(has_problem(c, "/etc/ruroco/server.ini:3: unknown key 'listen_port' in [server]"));
    CHECK(has_problem(c, "/etc/ruroco/server.ini:5: unknown section [client]"));
    CHECK(has_problem(c, "/etc/ruroco/server.ini:8: unknown key 'sokcet' in [commander]"));

    ServerConfig outside = parse("user = x\n[server]\n");
    CHECK(has_problem(outside, "server.ini:1: key 'user' outside any section"));
}

TEST_CASE("a key or a section given twice is a problem", "[common][server_config][negative]") {
    ServerConfig key = parse("[server]\nuser = a\nuser = b\n");
    REQUIRE(key.problems.size() == 1);
    CHECK(has_problem(key, "server.ini:3: key 'user' set twice in [server]"));

    ServerConfig section = parse("[server]\nuser = a\n[commander]\n[server]\nkey_dir = /k\n");
    CHECK(has_problem(section, "server.ini:4: section [server] appears twice"));
}

TEST_CASE("keys under [ server ] apply, not vanish unseen", "[common][server_config]") {
    // inih names that section " server "; it was listed as [server] yet its keys were dropped
    // without a word, so a hardened setting could silently fall back to its default.
    ServerConfig c = parse("[ server ]\nuser = alice\n[\tcommander ]\nmax_running = 3\n");
    CHECK(c.problems.empty());
    CHECK(c.user == "alice");
    CHECK(c.max_running == 3);
}

TEST_CASE("bad numbers, paths, users and addresses are reported", "[common][server_config][negative]") {
    struct Case {
        const char* text;
        const char* expect;
    };
    for (const Case& k : {
             Case{"[server]\nmax_clock_skew = 0\n", "server.ini:2: max_clock_skew = 0: out of range"},
             Case{"[server]\nmax_clock_skew = -1\n", "server.ini:2: max_clock_skew = '-1'"},
             Case{"[server]\nrate_per_ip = 2x\n", "server.ini:2: rate_per_ip = '2x'"},
             Case{"[server]\nrate_global = 99999999999\n", "server.ini:2: rate_global"},
             Case{"[server]\nrate_table = 15\n", "server.ini:2: rate_table = 15: out of range"},
             Case{"[server]\nrate_table = \n", "server.ini:2: rate_table"},
             Case{"[commander]\nmax_running = 4097\n", "server.ini:2: max_running = 4097: out of range"},
             Case{"[server]\nkey_dir = keys\n", "server.ini:2: key_dir = 'keys': expected an absolute path"},
             Case{"[server]\nuser = root\n", "server.ini:2: user = 'root'"},
             Case{"[server]\nips = 1.2.3.4,\n", "server.ini:2: ips: empty item"},
             Case{"[server]\nips = 1.2.3.4, web1\n", "server.ini:2: ips:"},
             Case{"[server]\nips = ::\n", "server.ini:2: ips: :: is the unspecified address"},
             Case{"[commander]\nallow_from = 10.0.0.0/33\n", "server.ini:2: allow_from: bad IP range"},
             Case{"[commander]\nallow_from = everything\n", "server.ini:2: allow_from: bad IP range"},
         }) {
        INFO(k.text);
        ServerConfig c = parse(k.text);
        REQUIRE(c.problems.size() == 1);
        CHECK(has_problem(c, k.expect));
    }
    ServerConfig sock = parse("[commander]\nsocket = /" + std::string(120, 's') + "\n");
    CHECK(has_problem(sock, "server.ini:2: socket: path longer"));
}

TEST_CASE("load_server_config reads the file and names it in problems", "[common][server_config]") {
    test::TempDir dir;
    std::string path = dir.file("server.ini");
    test::write_text(path, "[server]\nuser = alice\nbogus = 1\n");
    ServerConfig c = load_server_config(path);
    CHECK(c.user == "alice");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0] == path + ":3: unknown key 'bogus' in [server]");

    ServerConfig missing = load_server_config(dir.file("absent.ini"));
    REQUIRE(missing.problems.size() == 1);
    CHECK(missing.problems[0].find(dir.file("absent.ini")) != std::string::npos);
}
