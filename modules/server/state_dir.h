// The server's state directory: created if missing, opened as a directory fd (usable after
// the chroot) and locked so that two servers never share one replay state.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "modules/common/server_config.h"
#include "wire/result.h"

namespace ruroco {

struct StateDir {
    int fd = -1;
    int lock_fd = -1;
};

struct Owner {
    uid_t uid;
    gid_t gid;
};

// owner: who must be able to write the replay state (the privilege-separated child's user);
// empty: the current user, who creates it.
Result<StateDir> open_state_dir(const ServerConfig& config, std::optional<Owner> owner);

// For --check, without creating anything: why open_state_dir would fail (not a directory, not
// writable by this user, an ancestor that cannot take it), or empty when it would work.
std::string state_dir_problem(const ServerConfig& config);

}  // namespace ruroco
