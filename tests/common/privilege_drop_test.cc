// The checks before the privilege drop: the target user and the chroot directory are refused
// unless they are what a drop into them needs.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "modules/common/privilege_drop.h"
#include "tests/support/process.h"

using namespace ruroco;

TEST_CASE("the drop target must be an existing, unprivileged user", "[common][privdrop][negative]") {
    Result<DropTarget> nobody = resolve_drop_target("nobody", "/tmp");
    REQUIRE(nobody.ok());
    CHECK(nobody->uid != 0);
    Result<DropTarget> root = resolve_drop_target("root", "/tmp");
    REQUIRE_FALSE(root.ok());
    CHECK(root.error().find("privileged") != std::string::npos);
    Result<DropTarget> missing = resolve_drop_target("no-such-user-ruroco", "/tmp");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().find("does not exist") != std::string::npos);
}

TEST_CASE("the chroot directory must be root's, closed to writers, and empty", "[common][privdrop][negative]") {
    if (geteuid() != 0) {
        WARN("skipped: needs root to create root-owned and other-owned directories");
        return;
    }
    test::TempDir dir;
    std::string empty = dir.file("empty");
    REQUIRE(prepare_chroot_dir(empty).ok());  // created when missing
    struct stat st;
    REQUIRE(stat(empty.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0755);
    CHECK(st.st_uid == 0);

    chmod(empty.c_str(), 0777);
    Result<Ok> writable = prepare_chroot_dir(empty);
    REQUIRE_FALSE(writable.ok());
    CHECK(writable.error().find("not writable by group or others") != std::string::npos);
    chmod(empty.c_str(), 0755);

    REQUIRE(chown(empty.c_str(), 65534, 65534) == 0);
    Result<Ok> foreign = prepare_chroot_dir(empty);
    REQUIRE_FALSE(foreign.ok());
    CHECK(foreign.error().find("owned by root") != std::string::npos);
    REQUIRE(chown(empty.c_str(), 0, 0) == 0);

    test::write_text(empty + "/bin", "not empty");
    Result<Ok> full = prepare_chroot_dir(empty);
    REQUIRE_FALSE(full.ok());
    CHECK(full.error().find("must be empty") != std::string::npos);
}
