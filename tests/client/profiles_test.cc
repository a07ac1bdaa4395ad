// client.ini profiles: every key read, every bad value or unknown key a file:line problem.
#include "modules/client/profiles.h"

#include <catch2/catch.hpp>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

// The single problem of a one-profile text, which must have exactly one.
std::string only_problem(const std::string& text) {
    ProfileFile f = parse_profiles_text("/c/client.ini", text);
    INFO(text);
    REQUIRE(f.problems.size() == 1);
    return f.problems[0];
}

}  // namespace

TEST_CASE("a profile with every key", "[client][profile]") {
    ProfileFile f =
        parse_profiles_text("/c/client.ini",
                            "# servers\n[web1]\naddress = web1.example.com:5000\nkey_file = ~/web1.key\n"
                            "command = open_ssh\nip = 203.0.113.9\npermissive = yes\nfamily = 6\n"
                            "wait = tcp:22\nwait_timeout = 30\n\n[db]\naddress = [2001:db8::1]\n");
    REQUIRE(f.problems.empty());
    REQUIRE(f.profiles.size() == 2);
    const Profile& p = f.profiles[0];
    CHECK(p.name == "web1");
    CHECK(*p.address == "web1.example.com:5000");
    CHECK(*p.key_file == "~/web1.key");
    CHECK(*p.command == "open_ssh");
    CHECK(*p.ip == "203.0.113.9");
    CHECK(*p.permissive == true);
    CHECK(*p.family == 6);
    CHECK(*p.wait == "tcp:22");
    CHECK(*p.wait_timeout == 30);
    const Profile& q = f.profiles[1];
    CHECK(q.name == "db");
    CHECK(*q.address == "[2001:db8::1]");
    CHECK_FALSE(q.key_file.has_value());
    CHECK_FALSE(q.permissive.has_value());
    CHECK_FALSE(q.family.has_value());
}

TEST_CASE("permissive takes yes/no, true/false, 1/0", "[client][profile]") {
    for (const char* yes : {"yes", "true", "1"}) {
        CHECK(
            *parse_profiles_text("p", std::string("[a]\npermissive = ") + yes + "\n").profiles[0].permissive);
    }
    for (const char* no : {"no", "false", "0"}) {
        CHECK_FALSE(
            *parse_profiles_text("p", std::string("[a]\npermissive = ") + no + "\n").profiles[0].permissive);
    }
}

TEST_CASE("unknown keys and bad values are file:line problems", "[client][profile][negative]") {
    CHECK(only_problem("[web1]\naddres = x\n").rfind("/c/client.ini:2: unknown key 'addres'", 0) == 0);
    CHECK(only_problem("[web1]\naddress = x\n\nKey_File = k\n")
              .rfind("/c/client.ini:4: unknown key 'Key_File'", 0) == 0);
    CHECK(only_problem("[web1]\naddress = h:0\n")
              .rfind("/c/client.ini:2: address: bad address 'h:0': bad port", 0) == 0);
    CHECK(only_problem("[web1]\naddress = h:70000\n")
              .rfind("/c/client.ini:2: address: bad address 'h:70000': bad port", 0) == 0);
    CHECK(only_problem("[web1]\naddress = [::1\n").rfind("/c/client.ini:2: address:", 0) == 0);
    CHECK(only_problem("[web1]\nip = 1.2.3\n").rfind("/c/client.ini:2: ip:", 0) == 0);
    CHECK(only_problem("[web1]\nwait = udp:22\n").rfind("/c/client.ini:2: wait:", 0) == 0);
    CHECK(only_problem("[web1]\npermissive = maybe\n").rfind("/c/client.ini:2: permissive", 0) == 0);
    CHECK(only_problem("[web1]\nfamily = 5\n").rfind("/c/client.ini:2: family", 0) == 0);
    CHECK(only_problem("[web1]\nwait_timeout = 0\n").rfind("/c/client.ini:2: wait_timeout", 0) == 0);
    CHECK(only_problem("[web1]\nwait_timeout = 3601\n").rfind("/c/client.ini:2: wait_timeout", 0) == 0);
    CHECK(only_problem("[web1]\ncommand =\n") == "/c/client.ini:2: command is empty");
    CHECK(only_problem("[web1]\nkey_file =\n") == "/c/client.ini:2: key_file is empty");
}

TEST_CASE("structure problems: a key outside a section, a section or key given twice",
          "[client][profile][negative]") {
    CHECK(only_problem("address = x\n[web1]\n").rfind("/c/client.ini:1: key 'address' outside", 0) == 0);
    CHECK(only_problem("[web1]\ncommand = a\n[web1]\n") == "/c/client.ini:3: profile [web1] appears twice");
    CHECK(only_problem("[web1]\ncommand = a\ncommand = b\n")
              .rfind("/c/client.ini:3: key 'command' set twice", 0) == 0);
    CHECK(only_problem("[web1]\nthis is not ini\n").rfind("/c/client.ini:2:", 0) == 0);
}

TEST_CASE("load_profiles reads a file and names a missing one", "[client][profile]") {
    ruroco::test::TempDir dir;
    ruroco::test::write_text(dir.file("client.ini"), "[web1]\ncommand = deploy\n");
    ProfileFile f = load_profiles(dir.file("client.ini"));
    REQUIRE(f.problems.empty());
    REQUIRE(f.profiles.size() == 1);
    CHECK(*f.profiles[0].command == "deploy");
    ProfileFile missing = load_profiles(dir.file("none.ini"));
    REQUIRE(missing.problems.size() == 1);
    CHECK(missing.problems[0].find(dir.file("none.ini")) != std::string::npos);
}
