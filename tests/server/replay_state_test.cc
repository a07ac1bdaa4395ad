// The replay state of PROTOCOL.md 4: higher counters only, durable across a reload, a corrupt
// file refused rather than forgotten, and a failed write rolled back so nothing is half-accepted.
#include "modules/server/replay_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

constexpr wire::KeyId kId = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
constexpr wire::KeyId kOtherId = {0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};

// A directory fd, as the network child holds it after the chroot.
struct DirFd {
    explicit DirFd(const std::string& path) : fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        REQUIRE(fd >= 0);
    }
    ~DirFd() { close(fd); }
    int fd;
};

ReplayState load_ok(int fd, const std::string& name) {
    Result<ReplayState> state = ReplayState::load(fd, name);
    INFO((state ? std::string() : state.error()));
    REQUIRE(state.ok());
    return std::move(*state);
}

}  // namespace

TEST_CASE("an accepted counter makes equal and lower counters replays, not higher ones", "[server][replay]") {
    test::TempDir dir;
    DirFd fd(dir.path());
    ReplayState state = load_ok(fd.fd, dir.path());
    CHECK_FALSE(state.is_replay(kId, 1000));  // a key seen for the first time has no counter
    REQUIRE(state.accept(kId, 1000).ok());
    CHECK(state.is_replay(kId, 1000));
    CHECK(state.is_replay(kId, 999));
    CHECK(state.is_replay(kId, 0));
    CHECK_FALSE(state.is_replay(kId, 1001));
    CHECK_FALSE(state.is_replay(kOtherId, 1000));  // per key id
}

TEST_CASE("accepted counters survive a reload from the same directory", "[server][replay]") {
    test::TempDir dir;
    DirFd fd(dir.path());
    wire::u128 big = ~static_cast<wire::u128>(0);  // the largest counter, all 39 digits
    {
        ReplayState state = load_ok(fd.fd, dir.path());
        REQUIRE(state.accept(kId, 5).ok());
        REQUIRE(state.accept(kId, 7000000000000000000ull).ok());
        REQUIRE(state.accept(kOtherId, big - 1).ok());
    }
    ReplayState again = load_ok(fd.fd, dir.path());
    CHECK(again.is_replay(kId, 7000000000000000000ull));
    CHECK_FALSE(again.is_replay(kId, 7000000000000000001ull));
    CHECK(again.is_replay(kOtherId, big - 1));
    CHECK_FALSE(again.is_replay(kOtherId, big));

    // Through a fresh fd on the same path, as after a restart.
    DirFd other(dir.path());
    ReplayState restarted = load_ok(other.fd, dir.path());
    CHECK(restarted.is_replay(kId, 6));
}

TEST_CASE("no temporary file is left behind after accepts", "[server][replay]") {
    test::TempDir dir;
    DirFd fd(dir.path());
    ReplayState state = load_ok(fd.fd, dir.path());
    for (wire::u128 c = 1; c <= 5; ++c) REQUIRE(state.accept(kId, c * 100).ok());
    REQUIRE(state.accept(kOtherId, 1).ok());
    CHECK(test::list_directory(dir.path()) == std::vector<std::string>{kReplayFileName});
    struct stat st;
    REQUIRE(stat(dir.file(kReplayFileName).c_str(), &st) == 0);
    CHECK((st.st_mode & 077) == 0);
}

TEST_CASE("a corrupt replay.state is refused with its file and line", "[server][replay][negative]") {
    const std::string good = "0123456789abcdef 42\n";
    struct Case {
        const char* what;
        std::string line;
    };
    const Case cases[] = {
        {"garbage line", "this is not a replay state"},
        {"bad hex", "0123456789abcdeg 42"},
        {"short key id", "0123456789abcd 42"},
        {"counter with letters", "0123456789abcdef 42x"},
        {"negative counter", "0123456789abcdef -42"},
        {"40-digit counter overflows u128", "0123456789abcdef 1000000000000000000000000000000000000000"},
        {"39 digits over the largest u128", "0123456789abcdef 999999999999999999999999999999999999999"},
        {"missing counter", "0123456789abcdef"},
        {"extra field", "0123456789abcdef 42 43"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        test::TempDir dir;
        test::write_text(dir.file(kReplayFileName), good + c.line + "\n");
        DirFd fd(dir.path());
        Result<ReplayState> state = ReplayState::load(fd.fd, dir.path());
        REQUIRE_FALSE(state.ok());
        CHECK(state.error().find(dir.path() + "/" + kReplayFileName + ":2:") != std::string::npos);
    }
    // The largest u128 (39 digits) is not an overflow.
    test::TempDir dir;
    test::write_text(dir.file(kReplayFileName),
                     good + "fedcba9876543210 340282366920938463463374607431768211455\n");
    DirFd fd(dir.path());
    ReplayState state = load_ok(fd.fd, dir.path());
    CHECK(state.is_replay(kOtherId, ~static_cast<wire::u128>(0)));
}

TEST_CASE("a failed write is reported and rolled back", "[server][replay][negative]") {
    // Root bypasses permission bits, so the directory is made unwritable by removing it: the
    // fd then names a deleted directory and every openat(O_CREAT) in it fails with ENOENT.
    test::TempDir top;
    std::string path = top.file("state");
    REQUIRE(mkdir(path.c_str(), 0700) == 0);
    DirFd fd(path);
    ReplayState state = load_ok(fd.fd, path);
    REQUIRE(state.accept(kId, 100).ok());
    REQUIRE(unlink((path + "/" + kReplayFileName).c_str()) == 0);
    REQUIRE(rmdir(path.c_str()) == 0);

    Status raised = state.accept(kId, 200);
    REQUIRE_FALSE(raised.ok());
    CHECK(raised.error().find(path) != std::string::npos);
    CHECK_FALSE(state.is_replay(kId, 200));  // rolled back to the previous counter...
    CHECK(state.is_replay(kId, 100));        // ...which is kept

    Status fresh = state.accept(kOtherId, 5);
    REQUIRE_FALSE(fresh.ok());
    CHECK_FALSE(state.is_replay(kOtherId, 5));  // a first counter is forgotten again
    CHECK_FALSE(state.is_replay(kOtherId, 1));
}

TEST_CASE("a rename that fails leaves the old state and no temporary file", "[server][replay][negative]") {
    // A non-empty directory where replay.state should go makes renameat fail, root or not.
    test::TempDir dir;
    DirFd fd(dir.path());
    ReplayState state = load_ok(fd.fd, dir.path());
    REQUIRE(mkdir(dir.file(kReplayFileName).c_str(), 0700) == 0);
    test::write_text(dir.file(kReplayFileName) + "/x", "x");

    Status saved = state.accept(kId, 100);
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.error().find("rename") != std::string::npos);
    CHECK_FALSE(state.is_replay(kId, 100));
    CHECK(test::list_directory(dir.path()) == std::vector<std::string>{kReplayFileName});
}
