// Privilege separation: see privsep.h. The parent supervises the child through the commander
// loop: the child's end of a SOCK_SEQPACKET socketpair carries only 24-byte messages, a
// message of any other size gets the child killed, and a dead child is restarted with back-off.
#include "modules/server/privsep.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "modules/commander/commander_loop.h"
#include "modules/commander/pending_cli.h"
#include "modules/common/log.h"
#include "modules/common/privilege_drop.h"
#include "modules/server/commander_link.h"
#include "modules/server/keys.h"
#include "modules/server/pipeline.h"
#include "modules/server/seccomp_filter.h"
#include "modules/server/server_loop.h"
#include "modules/server/state_dir.h"
#include "modules/server/udp_socket.h"

namespace ruroco {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kFirstBackoff{1000};
constexpr milliseconds kMaxBackoff{60000};
// A child that lived this long was healthy: its death starts the back-off afresh.
constexpr std::chrono::seconds kHealthyRun{60};
// Replay state of a few thousand keys fits easily; nothing else is ever written.
constexpr rlim_t kChildMaxFileSize = 1 << 20;

// In the child: everything that needs root, then the drop, then the network. Never returns.
[[noreturn]] void run_network_child(const ServerConfig& config, const DropTarget& target, int udp_fd,
                                    int link_fd, int state_fd) {
    std::vector<std::string> problems;
    wire::KeyRing keys = load_keys(config.key_dir, problems);
    for (const std::string& problem : problems) log_error("%s", problem.c_str());
    if (!problems.empty()) _exit(2);
    Result<ReplayState> replay = ReplayState::load(state_fd, config.state_dir);
    if (!replay) {
        log_error("%s", replay.error().c_str());
        _exit(1);
    }
    drop_privileges_or_die(target, {STDERR_FILENO, udp_fd, link_fd, state_fd}, kChildMaxFileSize);
    // Only now: a change of credentials clears the parent-death signal.
    prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    Pipeline pipeline(config, std::move(keys), std::move(*replay));
    CommanderLink link = CommanderLink::connected(link_fd);
    ServerLoopSetup setup{udp_fd, &pipeline, &link, {}};
    log_info("network child %d: running as %s in chroot %s with %zu keys", static_cast<int>(getpid()),
             target.user.c_str(), target.chroot_dir.c_str(), pipeline.key_count());
    Status filtered = install_network_child_filter();
    if (!filtered) {
        log_error("network child: %s", filtered.error().c_str());
        _exit(1);
    }
    _exit(run_server_loop(setup));
}

// Loads the keys in a short-lived child, so the parent never holds one: true when all loaded.
bool keys_are_valid(const std::string& key_dir) {
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        std::vector<std::string> problems;
        load_keys(key_dir, problems);
        for (const std::string& problem : problems) log_error("%s", problem.c_str());
        _exit(problems.empty() ? 0 : 2);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string describe_exit(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return std::string("was killed by ") + sigabbrev_np(WTERMSIG(status));
    return "stopped";
}

class Supervisor {
  public:
    Supervisor(const ServerConfig& config, DropTarget target, StateDir state, int activation_fd,
               CommanderLoop& loop)
        : config_(config), target_(std::move(target)), state_(state), activation_fd_(activation_fd), loop_(loop) {}

    // The first child's socket, bound before anything else so a busy port fails the start.
    void set_first_socket(int fd) { first_udp_fd_ = fd; }

    void start_child() {
        int udp_fd = activation_fd_;
        if (first_udp_fd_ >= 0) {
            udp_fd = first_udp_fd_;
            first_udp_fd_ = -1;
        } else if (udp_fd < 0) {
            Result<int> opened = open_udp_socket(config_);
            if (!opened) {
                log_error("%s; retrying in %lld ms", opened.error().c_str(), static_cast<long long>(backoff_.count()));
                schedule_restart();
                return;
            }
            udp_fd = *opened;
        }
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
            log_error("socketpair: %s", std::strerror(errno));
            if (udp_fd != activation_fd_) close(udp_fd);
            schedule_restart();
            return;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(pair[0]);
            run_network_child(config_, target_, udp_fd, pair[1], state_.fd);
        }
        close(pair[1]);
        // The parent never reads the network. A socket from systemd must be kept to hand to the
        // next child; one we bound ourselves is closed and bound again for each child.
        if (udp_fd != activation_fd_) close(udp_fd);
        if (pid < 0) {
            log_error("fork: %s", std::strerror(errno));
            close(pair[0]);
            schedule_restart();
            return;
        }
        child_ = pid;
        started_ = Clock::now();
        loop_.add_message_fd(pair[0], [this, pid] {
            // EOF (the child is dying) or a malformed message (it is broken or compromised):
            // either way it must go. It is not reaped yet, so the pid cannot be reused.
            if (child_ == pid) kill(pid, SIGKILL);
        });
        loop_.watch_child(pid, [this, pid](int status) { on_child_exit(pid, status); });
    }

    void on_sighup() {
        if (!keys_are_valid(config_.key_dir)) {
            log_error("SIGHUP: the keys in %s have problems; the network child keeps the keys it has",
                      config_.key_dir.c_str());
            return;
        }
        log_info("SIGHUP: keys are valid; restarting the network child to load them");
        restart_now_ = true;
        if (child_ > 0) kill(child_, SIGTERM);
    }

    void stop() {
        stopping_ = true;
        if (child_ <= 0) return;
        kill(child_, SIGTERM);
        for (int i = 0; i < 300; ++i) {  // 3 s, then SIGKILL
            if (waitpid(child_, nullptr, WNOHANG) == child_) return;
            usleep(10000);
        }
        kill(child_, SIGKILL);
        waitpid(child_, nullptr, 0);
    }

  private:
    void on_child_exit(pid_t pid, int status) {
        if (pid != child_) return;
        child_ = 0;
        log_warning("network child %d %s", static_cast<int>(pid), describe_exit(status).c_str());
        if (stopping_) return;
        if (Clock::now() - started_ > kHealthyRun) backoff_ = kFirstBackoff;
        if (restart_now_) {
            restart_now_ = false;
            loop_.call_after(milliseconds(0), [this] { start_child(); });
            return;
        }
        schedule_restart();
    }

    void schedule_restart() {
        log_info("starting a new network child in %lld ms", static_cast<long long>(backoff_.count()));
        loop_.call_after(backoff_, [this] { start_child(); });
        backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    }

    const ServerConfig& config_;
    DropTarget target_;
    StateDir state_;
    int activation_fd_;
    int first_udp_fd_ = -1;
    CommanderLoop& loop_;
    pid_t child_ = 0;
    Clock::time_point started_;
    milliseconds backoff_ = kFirstBackoff;
    bool restart_now_ = false;
    bool stopping_ = false;
};

int fail(const std::string& message, int code) {
    std::fprintf(stderr, "ruroco-server: %s\n", message.c_str());
    return code;
}

}  // namespace

int run_privilege_separated(const ServerConfig& config) {
    // As root, before any fork: NSS (getpwnam) and the file system still work here.
    Result<DropTarget> target = resolve_drop_target(config.user, config.chroot);
    if (!target) return fail(config.path + ": " + target.error(), 2);
    Status chroot_ok = prepare_chroot_dir(config.chroot);
    if (!chroot_ok) return fail(chroot_ok.error(), 2);
    if (!keys_are_valid(config.key_dir)) return 2;
    Result<StateDir> state = open_state_dir(config, Owner{target->uid, target->gid});
    if (!state) return fail(state.error(), 1);
    int activation_fd = socket_from_activation();
    int first_udp_fd = activation_fd;
    if (first_udp_fd < 0) {
        Result<int> opened = open_udp_socket(config);
        if (!opened) return fail(opened.error(), 1);
        first_udp_fd = *opened;
    }
    Result<int> journal_lock = lock_journal(config.journal_dir);
    if (!journal_lock) return fail(journal_lock.error(), 1);
    Result<std::unique_ptr<CommanderLoop>> loop = CommanderLoop::create(config);
    if (!loop) return fail(loop.error(), 2);

    Supervisor supervisor(config, *target, *state, activation_fd, **loop);
    supervisor.set_first_socket(first_udp_fd);
    (*loop)->on_sighup([&supervisor] { supervisor.on_sighup(); });
    supervisor.start_child();
    int rc = (*loop)->run();
    supervisor.stop();
    return rc;
}

}  // namespace ruroco
