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

std::string state_dir_problem(const ServerConfig& config) {
    const std::string where = config.path + ": state_dir " + config.state_dir + ": ";
    struct stat st {};
    if (stat(config.state_dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) return where + "not a directory";
        // Root hands it to the network child's user (open_state_dir); anyone else writes it.
        if (geteuid() != 0 && access(config.state_dir.c_str(), W_OK | X_OK) != 0) {
            return where + "not writable by this user (" + std::strerror(errno) + ")";
        }
        return "";
    }
    if (errno != ENOENT && errno != ENOTDIR) return where + std::strerror(errno);
    // Missing: make_directories creates it under the nearest ancestor that exists.
    std::string ancestor = config.state_dir;
    for (int depth = 0; depth < 64; ++depth) {
        std::string up = parent_directory(ancestor);
        if (up == ancestor) break;
        ancestor = up;
        if (stat(ancestor.c_str(), &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) continue;
            return where + "cannot be created: " + ancestor + ": " + std::strerror(errno);
        }
        if (!S_ISDIR(st.st_mode)) return where + "cannot be created: " + ancestor + " is not a directory";
        if (access(ancestor.c_str(), W_OK | X_OK) != 0) {
            return where + "cannot be created in " + ancestor + " (" + std::strerror(errno) + ")";
        }
        return "";
    }
    return where + "cannot be created: no existing parent directory";
}

}  // namespace ruroco
