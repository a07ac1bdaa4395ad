// The server's key directory: every *.key file, each checked like an SSH private key, ids
// unique, at least one key; anything else in the directory is not a key and is left alone.
#include "modules/server/keys.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "modules/common/key_file.h"
#include "tests/support/process.h"

using namespace ruroco;

namespace {

wire::Key new_key() {
    return std::move(wire::Key::generate().value());
}

void write_key(const std::string& path, const wire::Key& key) {
    REQUIRE(write_new_key_file(path, key).ok());
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
    for (const std::string& p : problems) {
        if (p.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("every .key file loads, other files are ignored", "[server][keys]") {
    test::TempDir dir;
    wire::Key a = new_key();
    wire::Key b = new_key();
    write_key(dir.file("alice.key"), a);
    write_key(dir.file("bob.key"), b);
    test::write_text(dir.file("README"), "not a key\n", 0644);
    test::write_text(dir.file("old.key.bak"), "not a key either\n", 0644);
    test::write_text(dir.file(".key"), "a name that is only the suffix\n", 0644);
    std::vector<std::string> problems;
    wire::KeyRing ring = load_keys(dir.path(), problems);
    INFO((problems.empty() ? "" : problems[0]));
    CHECK(problems.empty());
    CHECK(ring.size() == 2);
    CHECK(ring.find(a.id()) != nullptr);
    CHECK(ring.find(b.id()) != nullptr);
}

TEST_CASE("a key file group or others can read is a problem that says chmod 600",
          "[server][keys][negative]") {
    test::TempDir dir;
    write_key(dir.file("good.key"), new_key());
    write_key(dir.file("open.key"), new_key());
    REQUIRE(chmod(dir.file("open.key").c_str(), 0644) == 0);
    std::vector<std::string> problems;
    wire::KeyRing ring = load_keys(dir.path(), problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find(dir.file("open.key")) != std::string::npos);
    CHECK(problems[0].find("chmod 600") != std::string::npos);
    CHECK(ring.size() == 1);  // loaded, but the caller must refuse a ring with problems
}

TEST_CASE("one key id in two files is a problem", "[server][keys][negative]") {
    test::TempDir dir;
    wire::Key key = new_key();
    write_key(dir.file("a.key"), key);
    write_key(dir.file("b.key"), key);
    std::vector<std::string> problems;
    wire::KeyRing ring = load_keys(dir.path(), problems);
    REQUIRE(problems.size() == 1);
    CHECK(mentions(problems, key.id_hex()));
    CHECK(mentions(problems, "already used"));
    CHECK(ring.size() == 1);
}

TEST_CASE("no keys, or no key directory, is a problem", "[server][keys][negative]") {
    test::TempDir dir;
    std::vector<std::string> problems;
    CHECK(load_keys(dir.path(), problems).size() == 0);
    REQUIRE(problems.size() == 1);
    CHECK(mentions(problems, "no keys in " + dir.path()));

    test::write_text(dir.file("notes.txt"), "not a key\n");
    problems.clear();
    CHECK(load_keys(dir.path(), problems).size() == 0);
    CHECK(mentions(problems, "no keys in " + dir.path()));

    problems.clear();
    CHECK(load_keys(dir.file("missing"), problems).size() == 0);
    REQUIRE_FALSE(problems.empty());
    CHECK(mentions(problems, dir.file("missing")));
}

TEST_CASE("a broken .key file is a problem naming it", "[server][keys][negative]") {
    test::TempDir dir;
    test::write_text(dir.file("broken.key"), "bm90IGEga2V5\n", 0600);
    std::vector<std::string> problems;
    CHECK(load_keys(dir.path(), problems).size() == 0);
    CHECK(mentions(problems, dir.file("broken.key")));
}
