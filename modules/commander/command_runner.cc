// Command execution: see command_runner.h.
#include "modules/commander/command_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "modules/common/log.h"

namespace ruroco {

namespace {

// Longest piece of one output line per log record (log_line's buffer is 2 KiB).
constexpr std::size_t kLogChunk = 1024;

// Everything the command learns from us is in this environment: nothing of the commander's
// own environment leaks into it.
std::vector<std::string> command_environment(const CommandSpec& spec, const std::string& ip, Phase phase) {
    std::vector<std::string> env = {kCommandPath, "RUROCO_IP=" + ip, "RUROCO_COMMAND=" + spec.name};
    if (phase == Phase::stop) env.push_back("RUROCO_PHASE=stop");
    return env;
}

// One log line per output line; control characters (a hostile or broken command's escape
// sequences) become '?', so every record stays one printable line.
void log_output(const std::string& name, const std::string& ip, const std::string& output) {
    std::size_t pos = 0;
    while (pos < output.size()) {
        std::size_t end = output.find('\n', pos);
        if (end == std::string::npos) end = output.size();
        std::string line = output.substr(pos, end - pos);
        for (char& c : line) {
            auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7f) c = '?';
        }
        for (std::size_t at = 0; at < line.size() || at == 0; at += kLogChunk) {
            log_info("command %s (ip %s): %s", name.c_str(), ip.c_str(), line.substr(at, kLogChunk).c_str());
            if (line.size() <= kLogChunk) break;
        }
        pos = end + 1;
    }
}

std::string describe_status(int wait_status) {
    if (WIFEXITED(wait_status)) return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
    if (WIFSIGNALED(wait_status)) {
        int sig = WTERMSIG(wait_status);
        return "killed by signal " + std::to_string(sig) + " (" + sigabbrev_np(sig) + ")";
    }
    return "ended with wait status " + std::to_string(wait_status);
}

struct SpawnSetup {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    SpawnSetup() {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// The child: its own process group (so a timeout can kill everything it started), every
// signal unblocked and at its default (the loop blocks some for its signalfd), stdin from
// /dev/null, stdout and stderr into the pipe, every other descriptor closed, cwd "/".
int prepare_spawn(SpawnSetup& s, int output_fd) {
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = posix_spawnattr_setflags(&s.attr,
                                      POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&s.attr, 0);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&s.attr, &none);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&s.attr, &all);
    if (rc == 0) rc = posix_spawn_file_actions_addopen(&s.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&s.actions, output_fd, STDOUT_FILENO);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&s.actions, output_fd, STDERR_FILENO);
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&s.actions, STDERR_FILENO + 1);
    if (rc == 0) rc = posix_spawn_file_actions_addchdir_np(&s.actions, "/");
    return rc;
}

}  // namespace

CommandRunner::~CommandRunner() {
    // Commands still running are left to finish (they are in their own groups); only our
    // ends of their pipes go.
    for (auto& [pid, r] : running_) {
        if (r.output_fd >= 0) close(r.output_fd);
    }
}

Result<pid_t> CommandRunner::start(const CommandSpec& spec, const wire::Ip& ip, Phase phase, OnDone on_done) {
    std::string ip_text = ip.to_string();
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return make_error(std::string("pipe2: ") + std::strerror(errno));
    }
    // Only our end is non-blocking: the command writes to an ordinary blocking pipe.
    if (fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK) != 0) {
        int saved = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return make_error(std::string("fcntl: ") + std::strerror(saved));
    }

    std::vector<std::string> env = command_environment(spec, ip_text, phase);
    std::vector<char*> envp;
    for (std::string& kv : env) envp.push_back(kv.data());
    envp.push_back(nullptr);
    std::string shell = "/bin/sh", dash_c = "-c", command = phase == Phase::stop ? spec.stop : spec.start;
    char* argv[] = {shell.data(), dash_c.data(), command.data(), nullptr};

    SpawnSetup setup;
    pid_t pid = -1;
    int rc = prepare_spawn(setup, pipe_fds[1]);
    if (rc == 0) rc = posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attr, argv, envp.data());
    close(pipe_fds[1]);
    if (rc != 0) {
        close(pipe_fds[0]);
        return make_error(std::string("posix_spawn /bin/sh: ") + std::strerror(rc));
    }

    // A group id we were about to SIGKILL is free again and now names this command.
    std::erase_if(pending_kills_, [pid](const PendingKill& k) { return k.pgid == pid; });
    Running r;
    r.name = spec.name;
    r.ip = ip_text;
    r.output_fd = pipe_fds[0];
    r.started = Clock::now();
    r.timeout = spec.timeout;
    r.deadline = r.started + std::chrono::seconds(spec.timeout);
    r.phase = phase == Phase::stop ? "stop " : "";
    r.on_done = std::move(on_done);
    running_.emplace(pid, std::move(r));
    log_info("command %s (ip %s): %sstarted, pid %d, timeout %u s", spec.name.c_str(), ip_text.c_str(),
             r.phase, static_cast<int>(pid), spec.timeout);
    return pid;
}

void CommandRunner::poll_fds(std::vector<pollfd>& fds, std::vector<pid_t>& pids) const {
    for (const auto& [pid, r] : running_) {
        if (r.output_fd < 0) continue;
        fds.push_back({r.output_fd, POLLIN, 0});
        pids.push_back(pid);
    }
}

void CommandRunner::drain(Running& r) {
    char buffer[16384];
    while (r.output_fd >= 0) {
        ssize_t n = read(r.output_fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            // EOF: every writer is gone (or the pipe broke); nothing more will come.
            close(r.output_fd);
            r.output_fd = -1;
            return;
        }
        auto got = static_cast<std::size_t>(n);
        std::size_t room = kMaxCommandOutput - std::min(kMaxCommandOutput, r.output.size());
        std::size_t keep = std::min(room, got);
        r.output.append(buffer, keep);
        r.not_shown += got - keep;
    }
}

void CommandRunner::on_output(pid_t pid) {
    auto it = running_.find(pid);
    if (it != running_.end()) drain(it->second);
}

bool CommandRunner::on_exit(pid_t pid, int wait_status) {
    auto it = running_.find(pid);
    if (it == running_.end()) return false;
    Running& r = it->second;
    // What the shell wrote before it exited is in the pipe. A background child may still hold
    // the pipe open; we do not wait for it: its later output is not ours to log.
    drain(r);
    if (r.output_fd >= 0) close(r.output_fd);
    log_output(r.name, r.ip, r.output);
    if (r.not_shown > 0) {
        log_info("command %s (ip %s): %zu bytes not shown", r.name.c_str(), r.ip.c_str(), r.not_shown);
    }
    double seconds = std::chrono::duration<double>(Clock::now() - r.started).count();
    std::string how = describe_status(wait_status);
    if (r.timed_out) {
        log_warning("command %s (ip %s): timed out (timeout %u s); %s after %.1f s", r.name.c_str(),
                    r.ip.c_str(), r.timeout, how.c_str(), seconds);
    } else {
        bool success = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
        log_line(success ? LogLevel::info : LogLevel::warning, "command %s (ip %s): %s%s after %.1f s",
                 r.name.c_str(), r.ip.c_str(), r.phase, how.c_str(), seconds);
    }
    bool succeeded = !r.timed_out && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
    OnDone on_done = std::move(r.on_done);
    running_.erase(it);
    if (on_done) on_done(succeeded);
    return true;
}

void CommandRunner::on_tick(Clock::time_point now) {
    for (auto& [pid, r] : running_) {
        if (r.timed_out || now < r.deadline) continue;
        r.timed_out = true;
        log_warning(
            "command %s (ip %s): still running after its %u s timeout; killing its process "
            "group %d",
            r.name.c_str(), r.ip.c_str(), r.timeout, static_cast<int>(pid));
        if (kill(-pid, SIGTERM) != 0 && errno != ESRCH) {
            log_error("kill(-%d, SIGTERM): %s", static_cast<int>(pid), std::strerror(errno));
        }
        // Whatever ignores SIGTERM gets SIGKILL, even after the shell itself is gone: while any
        // member is alive the group id cannot be reused.
        pending_kills_.push_back({pid, now + kKillGrace});
    }
    std::erase_if(pending_kills_, [now](const PendingKill& k) {
        if (now < k.when) return false;
        if (kill(-k.pgid, SIGKILL) == 0) {
            log_warning("process group %d: sent SIGKILL %lld s after SIGTERM", static_cast<int>(k.pgid),
                        static_cast<long long>(kKillGrace.count()));
        }
        return true;
    });
}

std::optional<CommandRunner::Clock::time_point> CommandRunner::next_deadline() const {
    std::optional<Clock::time_point> next;
    auto consider = [&next](Clock::time_point t) {
        if (!next || t < *next) next = t;
    };
    for (const auto& [pid, r] : running_) {
        if (!r.timed_out) consider(r.deadline);
    }
    for (const PendingKill& k : pending_kills_) consider(k.when);
    return next;
}

}  // namespace ruroco
