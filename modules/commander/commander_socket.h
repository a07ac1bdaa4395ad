// The commander's own Unix socket in separate-services mode: an instance lock first (so a
// second commander never steals a live socket), then the stale socket file is replaced and
// the new one is restricted to root (0600) or root plus socket_group (0660).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "wire/result.h"

namespace ruroco {

// Exclusive, non-blocking flock on "<socket_path>.lock"; returns the fd to hold until exit.
// An error naming the lock file when another process holds it.
Result<int> take_instance_lock(const std::string& socket_path);
// Binds a SOCK_SEQPACKET socket at socket_path and listens (call with the lock held). Without
// a group the mode is 0600; with one the socket's group becomes it and the mode 0660.
Result<int> bind_commander_socket(const std::string& socket_path, std::optional<gid_t> group);

}  // namespace ruroco
