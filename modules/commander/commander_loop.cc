// The commander's event loop: see commander_loop.h. Everything happens on one thread in
// run(): poll(2) over the signalfd, the message sockets, the listening socket and the running
// commands' output pipes, with timers for call_after and command timeouts.
#include "modules/commander/commander_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "modules/commander/command_runner.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/message_handler.h"
#include "modules/commander/stop_scheduler.h"
#include "modules/common/log.h"

namespace ruroco {

namespace {

using Clock = std::chrono::steady_clock;

// Messages read from one socket per wakeup, so one busy sender cannot starve the others.
constexpr int kMessagesPerWakeup = 64;
// Connections accepted on the listening socket at once; the socket's mode already limits
// who can connect, this only bounds the descriptors a misbehaving client can hold.
constexpr std::size_t kMaxAcceptedConnections = 16;
// Larger than a message so that a longer one shows up as a wrong size, not as a cut.
constexpr std::size_t kReceiveBuffer = 64;

sigset_t loop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGUSR2);  // run every pending stop now (--run-pending-now)
    return set;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) {
        if (!text.empty()) text += '\n';
        text += line;
    }
    return text;
}

}  // namespace

class CommanderLoopImpl {
  public:
    struct Source {
        enum class Kind { message, listen } kind;
        int fd;
        bool accepted;  // came from the listening socket
        std::function<void()> on_closed;
    };

    ~CommanderLoopImpl();
    void add_source(Source source);
    int run();

    ServerConfig config;
    CommandTable commands;
    CommandRunner runner;
    std::optional<StopScheduler> stops;
    int signal_fd = -1;
    bool mask_saved = false;
    sigset_t old_mask;
    std::map<std::uint64_t, Source> sources;
    std::uint64_t next_source_id = 1;
    std::multimap<Clock::time_point, std::function<void()>> timers;
    std::map<pid_t, std::function<void(int)>> watched;
    std::function<void()> sighup_hook;

  private:
    bool handle_signals();  // false: stop the loop
    void reap_children();
    void reload_commands();
    void read_messages(std::uint64_t id);
    void accept_connections(int listen_fd);
    void close_source(std::uint64_t id);
    void run_due_timers();
    int poll_timeout_ms() const;

    bool stop_ = false;
    int exit_code_ = 0;
};

CommanderLoopImpl::~CommanderLoopImpl() {
    for (auto& [id, source] : sources) close(source.fd);
    if (signal_fd >= 0) close(signal_fd);
    if (mask_saved) sigprocmask(SIG_SETMASK, &old_mask, nullptr);
}

void CommanderLoopImpl::add_source(Source source) {
    // The commands we spawn close every fd >= 3 anyway; this covers whatever else gets forked.
    fcntl(source.fd, F_SETFD, FD_CLOEXEC);
    sources.emplace(next_source_id++, std::move(source));
}

void CommanderLoopImpl::close_source(std::uint64_t id) {
    auto it = sources.find(id);
    if (it == sources.end()) return;
    std::function<void()> on_closed = std::move(it->second.on_closed);
    close(it->second.fd);
    sources.erase(it);
    if (on_closed) on_closed();
}

void CommanderLoopImpl::read_messages(std::uint64_t id) {
    for (int i = 0; i < kMessagesPerWakeup; ++i) {
        auto it = sources.find(id);
        if (it == sources.end()) return;
        int fd = it->second.fd;
        std::uint8_t buffer[kReceiveBuffer];
        ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n < 0) {
            log_error("reading a commander message on fd %d: %s; closing it", fd, std::strerror(errno));
            close_source(id);
            return;
        }
        if (n == 0) {
            // EOF (or an empty message, which no correct sender writes).
            log_info("message socket fd %d closed by the sender", fd);
            close_source(id);
            return;
        }
        MessageOutcome outcome =
            handle_message(buffer, static_cast<std::size_t>(n), commands, config, runner, stops ? &*stops : nullptr);
        if (outcome == MessageOutcome::bad_size) {
            log_error("closing message socket fd %d after a message of the wrong size", fd);
            close_source(id);
            return;
        }
    }
}

void CommanderLoopImpl::accept_connections(int listen_fd) {
    for (;;) {
        int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                log_error("accept on the commander socket: %s", std::strerror(errno));
            }
            return;
        }
        ucred peer{};
        socklen_t len = sizeof peer;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0) peer = {};
        std::size_t accepted = static_cast<std::size_t>(std::count_if(
            sources.begin(), sources.end(), [](const auto& entry) { return entry.second.accepted; }));
        if (accepted >= kMaxAcceptedConnections) {
            log_warning("refusing a connection from pid %d uid %u: %zu connections already open",
                        static_cast<int>(peer.pid), static_cast<unsigned>(peer.uid), accepted);
            close(fd);
            continue;
        }
        log_info("accepted a server connection from pid %d uid %u", static_cast<int>(peer.pid),
                 static_cast<unsigned>(peer.uid));
        add_source({Source::Kind::message, fd, true, nullptr});
    }
}

void CommanderLoopImpl::reap_children() {
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid < 0 && errno == EINTR) continue;
        if (pid <= 0) return;  // none left to reap (0), or no children at all (ECHILD)
        auto it = watched.find(pid);
        if (it != watched.end()) {
            std::function<void(int)> on_exit = std::move(it->second);
            watched.erase(it);
            on_exit(status);
        } else if (!runner.on_exit(pid, status)) {
            log_info("reaped child %d that was neither a command nor watched", static_cast<int>(pid));
        }
    }
}

void CommanderLoopImpl::reload_commands() {
    CommandsConfig fresh = load_commands_config(config.commands);
    if (!fresh.problems.empty()) {
        for (const std::string& problem : fresh.problems) log_error("%s", problem.c_str());
        log_error("SIGHUP: %s has %zu problem(s); keeping the %zu commands loaded before",
                  config.commands.c_str(), fresh.problems.size(), commands.size());
        return;
    }
    commands = std::move(fresh.commands);
    log_info("SIGHUP: reloaded %zu commands from %s", commands.size(), config.commands.c_str());
}

bool CommanderLoopImpl::handle_signals() {
    for (;;) {
        signalfd_siginfo info;
        ssize_t n = read(signal_fd, &info, sizeof info);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return true;
        if (n != static_cast<ssize_t>(sizeof info)) {
            log_error("reading the signalfd: %s", n < 0 ? std::strerror(errno) : "short read");
            exit_code_ = 1;
            return false;
        }
        auto sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGCHLD) {
            reap_children();  // signals coalesce: one SIGCHLD may stand for many children
        } else if (sig == SIGUSR2) {
            if (stops) stops->make_all_due();
        } else if (sig == SIGHUP) {
            reload_commands();
            if (sighup_hook) sighup_hook();
        } else if (sig == SIGTERM || sig == SIGINT) {
            log_info("%s: stopping; %zu running command(s) are left to finish", sigabbrev_np(sig),
                     runner.running());
            exit_code_ = 0;
            return false;
        }
    }
}

void CommanderLoopImpl::run_due_timers() {
    // One at a time: a callback may add timers of its own.
    for (;;) {
        auto first = timers.begin();
        if (first == timers.end() || first->first > Clock::now()) break;
        std::function<void()> fn = std::move(first->second);
        timers.erase(first);
        fn();
    }
    runner.on_tick(Clock::now());
    if (stops) stops->on_tick(Clock::now(), commands);
}

int CommanderLoopImpl::poll_timeout_ms() const {
    std::optional<Clock::time_point> next = runner.next_deadline();
    std::optional<Clock::time_point> stop_due = stops ? stops->next_deadline() : std::nullopt;
    if (stop_due && (!next || *stop_due < *next)) next = stop_due;
    if (!timers.empty() && (!next || timers.begin()->first < *next)) next = timers.begin()->first;
    if (!next) return -1;
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(wait, 0, 60000));
}

int CommanderLoopImpl::run() {
    stop_ = false;
    exit_code_ = 0;
    reap_children();  // children that ended before the loop started
    std::vector<pollfd> fds;
    std::vector<std::uint64_t> source_ids;
    std::vector<pid_t> pipe_pids;
    while (!stop_) {
        fds.clear();
        source_ids.clear();
        pipe_pids.clear();
        fds.push_back({signal_fd, POLLIN, 0});
        for (const auto& [id, source] : sources) {
            fds.push_back({source.fd, POLLIN, 0});
            source_ids.push_back(id);
        }
        std::size_t pipes_begin = fds.size();
        runner.poll_fds(fds, pipe_pids);

        int ready = poll(fds.data(), fds.size(), poll_timeout_ms());
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) {
            log_error("poll: %s", std::strerror(errno));
            return 1;
        }
        if (fds[0].revents != 0 && !handle_signals()) return exit_code_;
        for (std::size_t i = 0; i < source_ids.size(); ++i) {
            if (fds[i + 1].revents == 0) continue;
            auto it = sources.find(source_ids[i]);
            if (it == sources.end()) continue;  // closed by an earlier callback in this round
            if (it->second.kind == Source::Kind::listen) {
                accept_connections(it->second.fd);
            } else {
                read_messages(source_ids[i]);
            }
        }
        for (std::size_t i = 0; i < pipe_pids.size(); ++i) {
            if (fds[pipes_begin + i].revents != 0) runner.on_output(pipe_pids[i]);
        }
        run_due_timers();
    }
    return exit_code_;
}

Result<std::unique_ptr<CommanderLoop>> CommanderLoop::create(const ServerConfig& config) {
    CommandsConfig loaded = load_commands_config(config.commands);
    if (!loaded.problems.empty()) return make_error(join_lines(loaded.problems));

    auto impl = std::make_unique<CommanderLoopImpl>();
    impl->config = config;
    impl->commands = std::move(loaded.commands);
    Result<StopScheduler> stops = StopScheduler::open(config.journal_dir, impl->runner);
    if (!stops) return make_error(stops.error());
    impl->stops.emplace(std::move(*stops));
    // Blocked from here on, so a signal that arrives before run() waits in the signalfd
    // instead of killing us. Whatever is forked from now on must restore the mask.
    sigset_t signals = loop_signals();
    if (sigprocmask(SIG_BLOCK, &signals, &impl->old_mask) != 0) {
        return make_error(std::string("sigprocmask: ") + std::strerror(errno));
    }
    impl->mask_saved = true;
    impl->signal_fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (impl->signal_fd < 0) {
        return make_error(std::string("signalfd: ") + std::strerror(errno));  // impl restores the mask
    }
    log_info("commander: %zu commands loaded from %s", impl->commands.size(), config.commands.c_str());
    return std::unique_ptr<CommanderLoop>(new CommanderLoop(std::move(impl)));
}

CommanderLoop::CommanderLoop(std::unique_ptr<CommanderLoopImpl> impl) : impl_(std::move(impl)) {}
CommanderLoop::~CommanderLoop() = default;

void CommanderLoop::add_message_fd(int fd, std::function<void()> on_closed) {
    impl_->add_source({CommanderLoopImpl::Source::Kind::message, fd, false, std::move(on_closed)});
}

void CommanderLoop::add_listen_fd(int fd) {
    impl_->add_source({CommanderLoopImpl::Source::Kind::listen, fd, false, nullptr});
}

void CommanderLoop::call_after(std::chrono::milliseconds delay, std::function<void()> fn) {
    impl_->timers.emplace(Clock::now() + delay, std::move(fn));
}

void CommanderLoop::watch_child(pid_t pid, std::function<void(int wait_status)> on_exit) {
    impl_->watched[pid] = std::move(on_exit);
}

void CommanderLoop::on_sighup(std::function<void()> extra) { impl_->sighup_hook = std::move(extra); }

int CommanderLoop::run() { return impl_->run(); }

}  // namespace ruroco
