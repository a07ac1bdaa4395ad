// Stops that undo starts (issue: "a stop that survives any crash"). A knock for a command with
// `stop` and `stop_after` journals its stop before the start runs; a second knock for the same
// command and IP while the stop is pending extends the deadline (restart = extend) or also
// reruns the start (restart = rerun), so the rule is added once and removed once. Deadlines
// run on the monotonic clock while the commander runs, and are kept as wall-clock times in the
// journal so they survive restarts: a clock jump neither fires every stop at once nor postpones
// one forever. A failing stop is retried with back-off, then kept and logged loudly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "modules/commander/command_runner.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/stop_journal.h"

namespace ruroco {

inline constexpr std::uint32_t kMaxStopAttempts = 5;

class StopScheduler {
  public:
    using Clock = std::chrono::steady_clock;
    enum class KnockAction { run_start, extended, refused };

    // Loads the journal; overdue stops are due at once, the others keep their deadlines.
    static Result<StopScheduler> open(const std::string& journal_dir, CommandRunner& runner);

    // For a command with a stop: journals (or extends) its stop and says whether to run start.
    KnockAction on_knock(const CommandSpec& spec, const wire::Ip& ip);
    // Starts every stop that is due.
    void on_tick(Clock::time_point now, const CommandTable& commands);
    std::optional<Clock::time_point> next_deadline() const;
    // Everything due now, including stops that had given up (SIGUSR2, --run-pending-now).
    void make_all_due();
    std::size_t pending() const { return entries_.size(); }

  private:
    struct Entry {
        std::uint64_t id;
        PendingStop stop;
        Clock::time_point deadline;
        bool running = false;
    };

    StopScheduler(StopJournal journal, CommandRunner& runner) : journal_(std::move(journal)), runner_(&runner) {}
    Status persist() const;
    Entry* find(std::uint64_t id);
    void on_stop_done(std::uint64_t id, bool succeeded);
    void failed(Entry& e, const std::string& why);

    StopJournal journal_;
    CommandRunner* runner_;
    std::vector<Entry> entries_;
    std::uint64_t next_id_ = 1;
};

// Wall-clock now, ns since the epoch.
std::uint64_t wall_now_ns();

}  // namespace ruroco
