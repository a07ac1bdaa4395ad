// Durable small files: content and mode as asked, whole after an overwrite, no temporary left
// behind, and reads that refuse to cut a file down.
#include "modules/common/atomic_file.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

mode_t mode_of(const std::string& path) {
    struct stat st;
    REQUIRE(stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("a file written atomically reads back with its mode", "[common][atomic_file]") {
    test::TempDir dir;
    std::string path = dir.file("state");
    REQUIRE(write_file_atomically(path, "hello\nworld\n", 0600).ok());
    Result<std::string> back = read_small_file(path, 100);
    REQUIRE(back.ok());
    CHECK(*back == "hello\nworld\n");
    CHECK(mode_of(path) == 0600);
    CHECK(test::list_directory(dir.path()) == std::vector<std::string>{"state"});

    REQUIRE(write_file_atomically(dir.file("shared"), "x", 0644).ok());
    CHECK(mode_of(dir.file("shared")) == 0644);
}

TEST_CASE("an overwrite leaves the whole new content, longer or shorter", "[common][atomic_file]") {
    test::TempDir dir;
    std::string path = dir.file("counter");
    std::string big(100000, 'b');
    REQUIRE(write_file_atomically(path, std::string(5000, 'a'), 0600).ok());
    REQUIRE(write_file_atomically(path, big, 0600).ok());
    CHECK(*read_small_file(path, 1 << 20) == big);
    REQUIRE(write_file_atomically(path, "short", 0600).ok());
    CHECK(*read_small_file(path, 1 << 20) == "short");
    REQUIRE(write_file_atomically(path, "", 0600).ok());
    CHECK(read_small_file(path, 10)->empty());
    CHECK(test::list_directory(dir.path()) == std::vector<std::string>{"counter"});
}

TEST_CASE("replace_file puts the new content in place at once and syncs it later", "[common][atomic_file]") {
    test::TempDir dir;
    std::string path = dir.file("counter");
    test::write_text(path, "old\n");
    Result<PendingSync> pending = replace_file(path, "new\n", 0600);
    REQUIRE(pending.ok());
    // Before any fsync, every reader already sees the new content, and no temporary is left.
    CHECK(test::read_text(path) == "new\n");
    CHECK(mode_of(path) == 0600);
    CHECK(test::list_directory(dir.path()) == std::vector<std::string>{"counter"});
    CHECK(pending->sync().ok());
    CHECK(test::read_text(path) == "new\n");
    // A second replacement while the first is still pending wins, as a later send's would.
    Result<PendingSync> later = replace_file(path, "newer\n", 0600);
    REQUIRE(later.ok());
    CHECK(pending->sync().ok());
    CHECK(later->sync().ok());
    CHECK(test::read_text(path) == "newer\n");
}

TEST_CASE("replace_file fails with the path named and leaves nothing behind", "[common][atomic_file][negative]") {
    test::TempDir dir;
    Result<PendingSync> missing = replace_file(dir.file("no/such/file"), "x", 0600);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().find(dir.file("no/such")) != std::string::npos);
    // The target is a directory: the rename fails, and its temporary file goes with it.
    REQUIRE(mkdir(dir.file("taken").c_str(), 0700) == 0);
    Result<PendingSync> over_dir = replace_file(dir.file("taken"), "x", 0600);
    REQUIRE_FALSE(over_dir.ok());
    CHECK(over_dir.error().find(dir.file("taken")) != std::string::npos);
    CHECK(test::list_directory(dir.path()) == std::vector<std::string>{"taken"});
}

TEST_CASE("a write into a missing directory fails with the path named", "[common][atomic_file][negative]") {
    test::TempDir dir;
    Status s = write_file_atomically(dir.file("no/such/file"), "x", 0600);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().find(dir.file("no/such/file")) != std::string::npos);
}

TEST_CASE("read_small_file refuses a file over max_size instead of cutting it",
          "[common][atomic_file][negative]") {
    test::TempDir dir;
    std::string path = dir.file("f");
    test::write_text(path, std::string(10000, 'z'));
    CHECK(read_small_file(path, 10000).ok());
    Result<std::string> r = read_small_file(path, 9999);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find(path) != std::string::npos);
    CHECK(r.error().find("larger than 9999") != std::string::npos);
    CHECK_FALSE(read_small_file(path, 0).ok());
}

TEST_CASE("a missing file is an error unless missing_ok", "[common][atomic_file]") {
    test::TempDir dir;
    std::string path = dir.file("absent");
    Result<std::string> r = read_small_file(path, 10);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find(path) != std::string::npos);
    Result<std::string> empty = read_small_file(path, 10, true);
    REQUIRE(empty.ok());
    CHECK(empty->empty());
}

TEST_CASE("make_directories creates every level; parent_directory splits paths", "[common][atomic_file]") {
    test::TempDir dir;
    std::string deep = dir.file("a/b/c");
    REQUIRE(make_directories(deep, 0700).ok());
    CHECK(mode_of(deep) == 0700);
    CHECK(make_directories(deep, 0700).ok());  // existing is fine
    test::write_text(dir.file("file"), "x");
    CHECK_FALSE(make_directories(dir.file("file"), 0700).ok());

    CHECK(parent_directory("/var/lib/ruroco/state") == "/var/lib/ruroco");
    CHECK(parent_directory("/state") == "/");
    CHECK(parent_directory("state") == ".");
}
