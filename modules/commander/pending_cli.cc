// --pending and --run-pending-now: see pending_cli.h.
#include "modules/commander/pending_cli.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "modules/commander/command_runner.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/stop_scheduler.h"
#include "modules/common/atomic_file.h"
#include "modules/common/ini_values.h"

namespace ruroco {

namespace {

constexpr const char* kLockFile = "/commander.lock";
constexpr const char* kPidFile = "/commander.pid";

std::string utc_text(std::uint64_t ns) {
    std::time_t seconds = static_cast<std::time_t>(ns / 1000000000ull);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// Runs every pending stop in this process, when no commander is running.
int run_here(const ServerConfig& config) {
    CommandsConfig commands = load_commands_config(config.commands);
    for (const std::string& problem : commands.problems) std::fprintf(stderr, "%s\n", problem.c_str());
    if (!commands.problems.empty()) return 2;
    CommandRunner runner;
    Result<StopScheduler> stops = StopScheduler::open(config.journal_dir, runner);
    if (!stops) return std::fprintf(stderr, "ruroco: %s\n", stops.error().c_str()), 1;
    std::size_t total = stops->pending();
    stops->make_all_due();
    stops->on_tick(StopScheduler::Clock::now(), commands.commands);
    std::vector<pollfd> fds;
    std::vector<pid_t> pids;
    while (runner.running() > 0) {
        fds.clear();
        pids.clear();
        runner.poll_fds(fds, pids);
        poll(fds.data(), fds.size(), 100);
        for (std::size_t i = 0; i < pids.size(); ++i) {
            if (fds[i].revents != 0) runner.on_output(pids[i]);
        }
        int status = 0;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) runner.on_exit(pid, status);
        runner.on_tick(StopScheduler::Clock::now());
    }
    std::size_t left = stops->pending();
    std::printf("ran %zu pending stop(s); %zu failed and stay in the journal\n", total, left);
    return left == 0 ? 0 : 1;
}

}  // namespace

Result<int> lock_journal(const std::string& journal_dir) {
    Status made = make_directories(journal_dir, 0700);
    if (!made) return make_error("journal_dir: " + made.error());
    std::string lock_path = journal_dir + kLockFile;
    int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return make_error("cannot open " + lock_path + ": " + std::strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return make_error("another commander is running with journal_dir " + journal_dir);
    }
    Status pid = write_file_atomically(journal_dir + kPidFile, std::to_string(getpid()) + "\n", 0600);
    if (!pid) {
        close(fd);
        return make_error(pid.error());
    }
    return fd;
}

int print_pending(const ServerConfig& config) {
    struct stat st;
    if (stat(config.journal_dir.c_str(), &st) != 0) {
        std::printf("no pending stops\n");
        return 0;
    }
    Result<StopJournal> journal = StopJournal::open(config.journal_dir);
    if (!journal) return std::fprintf(stderr, "ruroco: %s\n", journal.error().c_str()), 1;
    std::vector<std::string> problems;
    Result<std::vector<PendingStop>> stops = journal->load(problems);
    if (!stops) return std::fprintf(stderr, "ruroco: %s\n", stops.error().c_str()), 1;
    for (const std::string& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
    if (stops->empty()) std::printf("no pending stops\n");
    std::uint64_t now = wall_now_ns();
    for (const PendingStop& s : *stops) {
        long long delta = static_cast<long long>(s.due_ns / 1000000000ull) - static_cast<long long>(now / 1000000000ull);
        std::string when = delta >= 0 ? "in " + std::to_string(delta) + " s" : "overdue by " + std::to_string(-delta) + " s";
        std::string failures = s.failures == 0 ? "" : ", failed " + std::to_string(s.failures) + " time(s)";
        std::printf("%s %s due %s (%s%s%s)\n", s.command.c_str(), s.ip.to_string().c_str(), utc_text(s.due_ns).c_str(),
                    when.c_str(), failures.c_str(), s.gave_up ? ", gave up" : "");
    }
    return 0;
}

int run_pending_now(const ServerConfig& config) {
    Result<int> lock = lock_journal(config.journal_dir);
    if (lock) {
        int rc = run_here(config);
        close(*lock);
        return rc;
    }
    // A commander holds the journal: ask it, so no stop ever runs twice at once.
    Result<std::string> pid_text = read_small_file(config.journal_dir + kPidFile, 32);
    long pid = pid_text ? std::strtol(trim_blanks(*pid_text).c_str(), nullptr, 10) : 0;
    if (pid <= 1 || kill(static_cast<pid_t>(pid), SIGUSR2) != 0) {
        std::fprintf(stderr, "ruroco: %s, but its pid file names no live process\n", lock.error().c_str());
        return 1;
    }
    std::printf("asked the running commander (pid %ld) to run every pending stop now\n", pid);
    return 0;
}

}  // namespace ruroco
