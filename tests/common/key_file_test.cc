// Key files on disk: refused like OpenSSH private keys unless only the owner can access them,
// never overwritten when created.
#include "modules/common/key_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

wire::Key new_key() {
    return std::move(wire::Key::generate().value());
}

std::string file_text(const wire::Key& key) {
    char text[wire::kKeyFileTextSize + 1];
    key.format_file_text(text);
    return std::string(text);
}

}  // namespace

TEST_CASE("a key file readable only by its owner loads (0600 and 0400)", "[common][key_file]") {
    test::TempDir dir;
    wire::Key key = new_key();
    for (mode_t mode : {mode_t{0600}, mode_t{0400}}) {
        std::string path = dir.file("k" + std::to_string(mode));
        test::write_text(path, file_text(key), mode);
        Result<wire::Key> loaded = load_key_file(path);
        INFO(std::oct << mode);
        REQUIRE(loaded.ok());
        CHECK(loaded->id() == key.id());
        CHECK(std::memcmp(loaded->secret(), key.secret(), wire::kSecretKeySize) == 0);
    }
}

TEST_CASE("a key file group or others can access is refused with the fix named",
          "[common][key_file][negative]") {
    test::TempDir dir;
    wire::Key key = new_key();
    std::string text = file_text(key);
    for (mode_t mode : {mode_t{0640}, mode_t{0604}, mode_t{0620}, mode_t{0602}, mode_t{0644}, mode_t{0610}}) {
        std::string path = dir.file("k" + std::to_string(mode));
        test::write_text(path, text, mode);
        Result<wire::Key> loaded = load_key_file(path);
        INFO(std::oct << mode);
        REQUIRE_FALSE(loaded.ok());
        CHECK(loaded.error().find("chmod 600 " + path) != std::string::npos);
        CHECK(loaded.error().find(path) != std::string::npos);
        // The refusal must not leak the key it refused.
        CHECK(loaded.error().find(text.substr(0, 20)) == std::string::npos);
    }
}

TEST_CASE("a directory, a missing file or bad content is refused naming the path",
          "[common][key_file][negative]") {
    test::TempDir dir;
    std::string sub = dir.file("keys.d");
    REQUIRE(mkdir(sub.c_str(), 0700) == 0);
    Result<wire::Key> d = load_key_file(sub);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().find("not a regular file") != std::string::npos);
    CHECK(d.error().find(sub) != std::string::npos);

    Result<wire::Key> missing = load_key_file(dir.file("absent.key"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().find(dir.file("absent.key")) != std::string::npos);

    std::string junk = dir.file("junk.key");
    test::write_text(junk, "this is not a key\n", 0600);
    Result<wire::Key> j = load_key_file(junk);
    REQUIRE_FALSE(j.ok());
    CHECK(j.error().find(junk) != std::string::npos);
    CHECK(j.error().find("not a ruroco key") != std::string::npos);

    std::string huge = dir.file("huge.key");
    test::write_text(huge, file_text(new_key()) + std::string(1000, ' '), 0600);
    CHECK_FALSE(load_key_file(huge).ok());
}

TEST_CASE("write_new_key_file creates 0600 and never overwrites", "[common][key_file]") {
    test::TempDir dir;
    std::string path = dir.file("new.key");
    wire::Key first = new_key();
    REQUIRE(write_new_key_file(path, first).ok());
    struct stat st;
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(test::read_text(path) == file_text(first));
    Result<wire::Key> loaded = load_key_file(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->id() == first.id());

    wire::Key second = new_key();
    Status again = write_new_key_file(path, second);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().find("already exists") != std::string::npos);
    CHECK(test::read_text(path) == file_text(first));

    // Any existing file, even one that is not a key, is left alone.
    std::string other = dir.file("notes.txt");
    test::write_text(other, "keep me\n", 0644);
    CHECK_FALSE(write_new_key_file(other, second).ok());
    CHECK(test::read_text(other) == "keep me\n");
}

TEST_CASE("write_new_key_file does not follow a symlink to create its target",
          "[common][key_file][negative]") {
    test::TempDir dir;
    std::string target = dir.file("elsewhere.key");
    std::string link = dir.file("link.key");
    REQUIRE(symlink(target.c_str(), link.c_str()) == 0);
    CHECK_FALSE(write_new_key_file(link, new_key()).ok());
    CHECK(access(target.c_str(), F_OK) != 0);
}
