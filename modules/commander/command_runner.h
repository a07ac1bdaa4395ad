// Runs commands: `/bin/sh -c <start>` in its own process group, with a clean environment and
// stdin on /dev/null; stdout and stderr are captured through one pipe, capped, and logged line
// by line when the command exits. The runner never blocks: the loop polls its pipes, hands it
// the exit statuses it reaps, and ticks it for timeouts.
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "modules/commander/commands_config.h"
#include "wire/ip.h"
#include "wire/result.h"

namespace ruroco {

// Output kept per command; the rest is counted and reported as "N bytes not shown".
inline constexpr std::size_t kMaxCommandOutput = 64 * 1024;
// After a timeout's SIGTERM, the group gets SIGKILL this much later.
inline constexpr std::chrono::seconds kKillGrace{2};
inline constexpr const char* kCommandPath = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

enum class Phase { start, stop };

class CommandRunner {
  public:
    using Clock = std::chrono::steady_clock;

    CommandRunner() = default;
    ~CommandRunner();
    CommandRunner(const CommandRunner&) = delete;
    CommandRunner& operator=(const CommandRunner&) = delete;

    // Called once when a command ends: true if it exited 0 within its timeout.
    using OnDone = std::function<void(bool succeeded)>;

    // Starts the command's start (or, for Phase::stop, its stop, with RUROCO_PHASE=stop);
    // returns its pid (also its process group id).
    Result<pid_t> start(const CommandSpec& spec, const wire::Ip& ip, Phase phase = Phase::start,
                        OnDone on_done = {});
    std::size_t running() const { return running_.size(); }
    bool is_running(pid_t pid) const { return running_.count(pid) != 0; }

    // The output pipes to poll, with the pid each belongs to.
    void poll_fds(std::vector<pollfd>& fds, std::vector<pid_t>& pids) const;
    // Reads whatever the command's pipe holds, without blocking.
    void on_output(pid_t pid);
    // A reaped child: false if it is not one of ours. Logs the output and how it ended.
    bool on_exit(pid_t pid, int wait_status);
    // Kills timed-out commands (SIGTERM to the group) and, kKillGrace later, SIGKILLs the group.
    void on_tick(Clock::time_point now);
    // When on_tick next has something to do.
    std::optional<Clock::time_point> next_deadline() const;

  private:
    struct Running {
        std::string name;
        std::string ip;
        int output_fd = -1;
        std::string output;
        std::size_t not_shown = 0;
        Clock::time_point started;
        Clock::time_point deadline;
        std::uint32_t timeout = 0;
        bool timed_out = false;
        const char* phase = "";  // "stop " for a stop, in log lines
        OnDone on_done;
    };
    struct PendingKill {
        pid_t pgid;
        Clock::time_point when;
    };

    void drain(Running& r);

    std::map<pid_t, Running> running_;
    std::vector<PendingKill> pending_kills_;
};

}  // namespace ruroco
