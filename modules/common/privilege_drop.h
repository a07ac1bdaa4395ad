// The one place privileges are dropped (STYLE.md; OpenNTPD's ntp_main, OpenSSH's
// permanently_set_uid). Resolve the target before the fork, while NSS still works; drop in the
// child in a fixed order; every failure is fatal; the drop is verified before returning.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "wire/result.h"

namespace ruroco {

struct DropTarget {
    std::string user;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string chroot_dir;
};

// getpwnam() of an unprivileged user (not uid 0 or gid 0). Call before fork and chroot.
Result<DropTarget> resolve_drop_target(const std::string& user, const std::string& chroot_dir);

// As root: create the chroot directory if missing (root:root 0755) and refuse it unless it is
// a root-owned directory that neither group nor others can write, and that is empty.
Status prepare_chroot_dir(const std::string& path);

// In the network child, as root. Closes every fd >= 3 not in keep, points stdin/stdout at
// /dev/null, chroots, drops groups/gid/uid, verifies root cannot be regained, sets rlimits,
// resets signals, sets no_new_privs. Exits the process (status 1) with a log line naming the
// failed step on any error: a half-dropped process must never read the network.
void drop_privileges_or_die(const DropTarget& target, const std::vector<int>& keep_fds,
                            rlim_t max_file_size);

}  // namespace ruroco
