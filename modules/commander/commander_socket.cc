// Instance lock and listening socket: see commander_socket.h.
#include "modules/commander/commander_socket.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "modules/common/atomic_file.h"

namespace ruroco {

namespace {

constexpr int kListenBacklog = 8;

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

Result<int> take_instance_lock(const std::string& socket_path) {
    std::string lock_path = socket_path + ".lock";
    Status dir = make_directories(parent_directory(socket_path), 0755);
    if (!dir) return make_error(dir.error());
    int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0) return make_error(errno_text("cannot open the lock file " + lock_path));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        close(fd);
        if (saved == EWOULDBLOCK) {
            return make_error("another ruroco-commander holds " + lock_path + "; not starting a second one");
        }
        errno = saved;
        return make_error(errno_text("cannot lock " + lock_path));
    }
    return fd;
}

Result<int> bind_commander_socket(const std::string& socket_path, std::optional<gid_t> group) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof addr.sun_path) {
        return make_error("socket path " + socket_path + " is too long for a Unix socket");
    }
    std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);

    // With the lock held, whatever is at the path was left by a commander that is gone. Only a
    // socket is removed: anything else there is a configuration mistake, not ours to delete.
    struct stat st;
    if (lstat(socket_path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            return make_error(socket_path + " exists and is not a socket; refusing to replace it");
        }
        if (unlink(socket_path.c_str()) != 0)
            return make_error(errno_text("cannot remove the stale " + socket_path));
    } else if (errno != ENOENT) {
        return make_error(errno_text("cannot stat " + socket_path));
    }

    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return make_error(errno_text("socket(AF_UNIX, SOCK_SEQPACKET)"));
    // Created 0600 from the start: no moment in which anyone else could connect.
    mode_t old_umask = umask(0177);
    int rc = bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    int bind_errno = errno;
    umask(old_umask);
    std::string problem;
    if (rc != 0) {
        errno = bind_errno;
        problem = errno_text("cannot bind " + socket_path);
    } else if (group && chown(socket_path.c_str(), static_cast<uid_t>(-1), *group) != 0) {
        problem = errno_text("cannot chown " + socket_path + " to group " + std::to_string(*group));
    } else if (chmod(socket_path.c_str(), group ? 0660 : 0600) != 0) {
        problem = errno_text("cannot chmod " + socket_path);
    } else if (listen(fd, kListenBacklog) != 0) {
        problem = errno_text("cannot listen on " + socket_path);
    }
    if (!problem.empty()) {
        close(fd);
        if (rc == 0) unlink(socket_path.c_str());
        return make_error(problem);
    }
    return fd;
}

}  // namespace ruroco
