// State directory setup: see state_dir.h.
#include "modules/server/state_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "modules/common/atomic_file.h"

namespace ruroco {

Result<StateDir> open_state_dir(const ServerConfig& config, std::optional<Owner> owner) {
    const std::string& dir = config.state_dir;
    Status made = make_directories(dir, 0700);
    if (!made) return make_error(made.error());
    StateDir state;
    state.fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (state.fd < 0) return make_error("cannot open state_dir " + dir + ": " + std::strerror(errno));
    if (owner && (fchown(state.fd, owner->uid, owner->gid) != 0 || fchmod(state.fd, 0700) != 0)) {
        std::string why = std::strerror(errno);
        close(state.fd);
        return make_error("cannot hand state_dir " + dir + " to user " + config.user + ": " + why);
    }
    state.lock_fd = openat(state.fd, "server.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (state.lock_fd < 0 || flock(state.lock_fd, LOCK_EX | LOCK_NB) != 0) {
        std::string why = errno == EWOULDBLOCK ? "another ruroco-server is running with this state_dir"
                                               : std::strerror(errno);
        if (state.lock_fd >= 0) close(state.lock_fd);
        close(state.fd);
        return make_error("cannot lock " + dir + "/server.lock: " + why);
    }
    return state;
}

}  // namespace ruroco
