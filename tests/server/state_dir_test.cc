// The state directory: created 0700 when missing, locked so that a second server on the same
// state_dir fails clearly, and --check's view of it, which creates nothing.
#include "modules/server/state_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

ServerConfig with_state_dir(const std::string& dir) {
    ServerConfig config;
    config.path = "/etc/ruroco/server.ini";
    config.state_dir = dir;
    return config;
}

void close_state(StateDir& s) {
    close(s.lock_fd);
    close(s.fd);
}

}  // namespace

TEST_CASE("a missing state_dir is created 0700 and locked", "[server][state_dir]") {
    test::TempDir tmp;
    std::string dir = tmp.file("a/b/state");
    Result<StateDir> state = open_state_dir(with_state_dir(dir), std::nullopt);
    REQUIRE(state.ok());
    struct stat st {};
    REQUIRE(stat(dir.c_str(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK((st.st_mode & 07777) == 0700);
    CHECK(stat((dir + "/server.lock").c_str(), &st) == 0);
    close_state(*state);
}

TEST_CASE("a second server on the same state_dir fails, naming the lock", "[server][state_dir][negative]") {
    test::TempDir tmp;
    Result<StateDir> first = open_state_dir(with_state_dir(tmp.path()), std::nullopt);
    REQUIRE(first.ok());
    Result<StateDir> second = open_state_dir(with_state_dir(tmp.path()), std::nullopt);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().find(tmp.path() + "/server.lock") != std::string::npos);
    CHECK(second.error().find("another ruroco-server is running") != std::string::npos);
    close_state(*first);
    // Released with the first: the next start succeeds.
    Result<StateDir> third = open_state_dir(with_state_dir(tmp.path()), std::nullopt);
    REQUIRE(third.ok());
    close_state(*third);
}

TEST_CASE("--check accepts an existing or creatable state_dir and creates nothing", "[server][state_dir]") {
    test::TempDir tmp;
    CHECK(state_dir_problem(with_state_dir(tmp.path())).empty());
    std::string missing = tmp.file("x/y");
    CHECK(state_dir_problem(with_state_dir(missing)).empty());
    struct stat st {};
    CHECK(stat(tmp.file("x").c_str(), &st) != 0);
}

TEST_CASE("--check refuses a state_dir that is a file or lies under one", "[server][state_dir][negative]") {
    test::TempDir tmp;
    test::write_text(tmp.file("file"), "");
    std::string problem = state_dir_problem(with_state_dir(tmp.file("file")));
    CHECK(problem == "/etc/ruroco/server.ini: state_dir " + tmp.file("file") + ": not a directory");
    problem = state_dir_problem(with_state_dir(tmp.file("file/state")));
    CHECK(problem.find("state_dir " + tmp.file("file/state")) != std::string::npos);
    CHECK(problem.find("cannot be created") != std::string::npos);
}
