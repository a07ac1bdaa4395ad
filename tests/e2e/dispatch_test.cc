// The multi-call binary: roles from argv[0] (the symlinks) or from the first argument.
#include <catch2/catch.hpp>

#include "tests/support/process.h"

using namespace ruroco::test;

namespace {
std::string sibling(const std::string& name) {
    std::string bin = ruroco_bin();
    return bin.substr(0, bin.rfind('/') + 1) + name;
}
}  // namespace

TEST_CASE("--list prints the three roles", "[dispatch]") {
    RunResult r = run({ruroco_bin(), "--list"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "ruroco-client\nruroco-server\nruroco-commander\n");
}

TEST_CASE("--version prints the version", "[dispatch]") {
    RunResult r = run({ruroco_bin(), "--version"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("ruroco ", 0) == 0);
}

TEST_CASE("an unknown role or no role prints the usage on stderr and exits 2", "[dispatch]") {
    RunResult unknown = run({ruroco_bin(), "frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.out.empty());
    CHECK(unknown.err.find("unknown role 'frobnicate'") != std::string::npos);
    CHECK(unknown.err.find("usage: ruroco") != std::string::npos);

    RunResult none = run({ruroco_bin()});
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("usage: ruroco") != std::string::npos);
}

TEST_CASE("the role comes from the symlink name or the first argument", "[dispatch]") {
    RunResult via_link = run({sibling("ruroco-client"), "hash", "default"});
    CHECK(via_link.exit_code == 0);
    CHECK(via_link.out == "fe98b07b1ba6b3a2\n");
    RunResult via_arg = run({ruroco_bin(), "client", "hash", "default"});
    CHECK(via_arg.exit_code == 0);
    CHECK(via_arg.out == "fe98b07b1ba6b3a2\n");
    RunResult full_name = run({ruroco_bin(), "ruroco-client", "hash", "default"});
    CHECK(full_name.out == "fe98b07b1ba6b3a2\n");
}
