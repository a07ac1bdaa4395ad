// Privilege drop: see privilege_drop.h. The order is the one STYLE.md fixes.
#include "modules/common/privilege_drop.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "modules/common/atomic_file.h"
#include "modules/common/log.h"

namespace ruroco {

namespace {

[[noreturn]] void die(const char* step) {
    log_error("privilege drop failed at %s: %s", step, std::strerror(errno));
    _exit(1);
}

[[noreturn]] void die_msg(const char* what) {
    log_error("privilege drop failed: %s", what);
    _exit(1);
}

void close_all_but(std::vector<int> keep) {
    std::sort(keep.begin(), keep.end());
    int next = 3;
    for (int fd : keep) {
        if (fd < next) continue;
        for (int f = next; f < fd; ++f) close(f);  // close_range needs glibc 2.34+ wrappers
        next = fd + 1;
    }
    long max = sysconf(_SC_OPEN_MAX);
    for (long f = next; f < max; ++f) close(static_cast<int>(f));
}

bool chroot_dir_ok(const std::string& path, std::string& why) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) {
        why = path + ": " + std::strerror(errno);
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        why = path + " is not a directory";
        return false;
    }
    if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
        why = path + " must be owned by root and not writable by group or others";
        return false;
    }
    return true;
}

}  // namespace

Result<DropTarget> resolve_drop_target(const std::string& user, const std::string& chroot_dir) {
    errno = 0;
    struct passwd* pw = getpwnam(user.c_str());
    if (pw == nullptr) return make_error("user '" + user + "' does not exist (server.ini: user)");
    if (pw->pw_uid == 0 || pw->pw_gid == 0) {
        return make_error("user '" + user + "' is privileged (uid or gid 0); choose an unprivileged user");
    }
    return DropTarget{user, pw->pw_uid, pw->pw_gid, chroot_dir};
}

Status prepare_chroot_dir(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        Status made = make_directories(path, 0755);
        if (!made) return made;
        if (chown(path.c_str(), 0, 0) != 0 || chmod(path.c_str(), 0755) != 0) {
            return make_error("cannot set owner and mode of " + path + ": " + std::strerror(errno));
        }
    }
    std::string why;
    if (!chroot_dir_ok(path, why)) return make_error("chroot directory " + why);
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) return make_error("cannot open " + path + ": " + std::strerror(errno));
    bool empty = true;
    while (struct dirent* e = readdir(dir)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) empty = false;
    }
    closedir(dir);
    if (!empty) return make_error("chroot directory " + path + " must be empty");
    return ok_status();
}

void drop_privileges_or_die(const DropTarget& target, const std::vector<int>& keep_fds,
                            rlim_t max_file_size) {
    close_all_but(keep_fds);
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd < 0) die("open /dev/null");
    if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(null_fd, STDOUT_FILENO) < 0) die("dup2");
    if (null_fd > STDERR_FILENO) close(null_fd);

    std::string why;
    if (!chroot_dir_ok(target.chroot_dir, why)) die_msg(why.c_str());
    if (chroot(target.chroot_dir.c_str()) != 0) die("chroot");
    if (chdir("/") != 0) die("chdir /");

    if (setgroups(1, &target.gid) != 0) die("setgroups");
    if (setresgid(target.gid, target.gid, target.gid) != 0) die("setresgid");
    if (setresuid(target.uid, target.uid, target.uid) != 0) die("setresuid");

    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0) die("getresuid");
    if (ruid != target.uid || euid != target.uid || suid != target.uid) die_msg("uid not fully dropped");
    if (rgid != target.gid || egid != target.gid || sgid != target.gid) die_msg("gid not fully dropped");
    if (setgid(0) == 0 || setegid(0) == 0) die_msg("could regain gid 0 after the drop");
    if (setuid(0) == 0 || seteuid(0) == 0) die_msg("could regain uid 0 after the drop");

    struct rlimit zero = {0, 0};
    struct rlimit fsize = {max_file_size, max_file_size};
    struct rlimit nofile = {64, 64};
    if (setrlimit(RLIMIT_CORE, &zero) != 0) die("setrlimit RLIMIT_CORE");
    if (setrlimit(RLIMIT_NPROC, &zero) != 0) die("setrlimit RLIMIT_NPROC");
    if (setrlimit(RLIMIT_FSIZE, &fsize) != 0) die("setrlimit RLIMIT_FSIZE");
    if (setrlimit(RLIMIT_NOFILE, &nofile) != 0) die("setrlimit RLIMIT_NOFILE");

    // The parent (the commander) blocks signals for its signalfd; the child starts clean.
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) die("sigprocmask");

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("PR_SET_NO_NEW_PRIVS");
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) die_msg("no_new_privs did not stick");
}

}  // namespace ruroco
