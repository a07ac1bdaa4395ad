// Pending stops: see stop_scheduler.h.
#include "modules/commander/stop_scheduler.h"

#include <algorithm>

#include "modules/common/log.h"
#include "wire/hash.h"

namespace ruroco {

namespace {

using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr std::uint64_t kNsPerS = 1000000000ull;
constexpr seconds kMaxRetryDelay{60};

// The monotonic deadline for a wall-clock due time, read once, at load or scheduling.
StopScheduler::Clock::time_point deadline_for(std::uint64_t due_ns) {
    std::uint64_t now = wall_now_ns();
    auto wait = due_ns > now ? nanoseconds(due_ns - now) : nanoseconds(0);
    return StopScheduler::Clock::now() + wait;
}

seconds retry_delay(std::uint32_t failures) {
    seconds delay{1};
    for (std::uint32_t i = 1; i < failures && delay < kMaxRetryDelay; ++i) delay *= 2;
    return std::min(delay, kMaxRetryDelay);
}

}  // namespace

std::uint64_t wall_now_ns() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

Result<StopScheduler> StopScheduler::open(const std::string& journal_dir, CommandRunner& runner) {
    Result<StopJournal> journal = StopJournal::open(journal_dir);
    if (!journal) return make_error(journal.error());
    std::vector<std::string> problems;
    Result<std::vector<PendingStop>> loaded = journal->load(problems);
    if (!loaded) return make_error(loaded.error());
    for (const std::string& problem : problems) log_error("%s", problem.c_str());
    StopScheduler scheduler(std::move(*journal), runner);
    std::uint64_t now = wall_now_ns();
    for (PendingStop& stop : *loaded) {
        log_info("pending stop %s for %s: %s", stop.command.c_str(), stop.ip.to_string().c_str(),
                 stop.gave_up ? "had given up; run it with --run-pending-now"
                 : stop.due_ns <= now ? "overdue, running it now"
                                      : "scheduled");
        scheduler.entries_.push_back({scheduler.next_id_++, stop, deadline_for(stop.due_ns), false});
    }
    return scheduler;
}

Status StopScheduler::persist() const {
    std::vector<PendingStop> stops;
    for (const Entry& e : entries_) stops.push_back(e.stop);
    return journal_.save(stops);
}

StopScheduler::Entry* StopScheduler::find(std::uint64_t id) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [id](const Entry& e) { return e.id == id; });
    return it == entries_.end() ? nullptr : &*it;
}

StopScheduler::KnockAction StopScheduler::on_knock(const CommandSpec& spec, const wire::Ip& ip) {
    std::uint64_t due = wall_now_ns() + spec.stop_after * kNsPerS;
    Clock::time_point deadline = Clock::now() + seconds(spec.stop_after);
    std::string ip_text = ip.to_string();
    for (Entry& e : entries_) {
        if (e.running || e.stop.command != spec.name || !(e.stop.ip == ip)) continue;
        // Pending already: the rule is in place. Push the stop back.
        std::uint64_t old_due = e.stop.due_ns;
        e.stop.due_ns = due;
        e.deadline = deadline;
        e.stop.failures = 0;
        e.stop.gave_up = false;
        Status saved = persist();
        if (!saved) {
            // The journal keeps the earlier deadline: the stop comes sooner, never later.
            log_error("stop %s for %s: cannot journal the new deadline (%s); keeping the old one",
                      spec.name.c_str(), ip_text.c_str(), saved.error().c_str());
            e.stop.due_ns = old_due;
            e.deadline = deadline_for(old_due);
        } else {
            log_info("command %s (ip %s): stop pending, deadline extended by %u s", spec.name.c_str(),
                     ip_text.c_str(), spec.stop_after);
        }
        return spec.restart == RestartPolicy::rerun ? KnockAction::run_start : KnockAction::extended;
    }
    entries_.push_back({next_id_++, PendingStop{spec.name, ip, due, 0, false}, deadline, false});
    Status saved = persist();
    if (!saved) {
        entries_.pop_back();
        log_error("command %s for %s not started: its stop cannot be journaled: %s", spec.name.c_str(),
                  ip_text.c_str(), saved.error().c_str());
        return KnockAction::refused;
    }
    return KnockAction::run_start;
}

void StopScheduler::failed(Entry& e, const std::string& why) {
    e.running = false;
    e.stop.failures++;
    std::string ip = e.stop.ip.to_string();
    if (e.stop.failures >= kMaxStopAttempts) {
        e.stop.gave_up = true;
        log_error("STOP FAILED: %s for %s failed %u times (%s); it stays in %s; run it with "
                  "'ruroco-commander --run-pending-now' once fixed",
                  e.stop.command.c_str(), ip.c_str(), e.stop.failures, why.c_str(), journal_.path().c_str());
    } else {
        seconds delay = retry_delay(e.stop.failures);
        e.deadline = Clock::now() + delay;
        e.stop.due_ns = wall_now_ns() + static_cast<std::uint64_t>(delay.count()) * kNsPerS;
        log_warning("stop %s for %s failed (%s); retry %u of %u in %lld s", e.stop.command.c_str(), ip.c_str(),
                    why.c_str(), e.stop.failures, kMaxStopAttempts - 1, static_cast<long long>(delay.count()));
    }
    Status saved = persist();
    if (!saved) log_error("cannot journal the failed stop: %s", saved.error().c_str());
}

void StopScheduler::on_stop_done(std::uint64_t id, bool succeeded) {
    Entry* e = find(id);
    if (e == nullptr) return;
    if (!succeeded) {
        failed(*e, "it exited with an error or timed out");
        return;
    }
    std::string done = e->stop.command + " for " + e->stop.ip.to_string();
    entries_.erase(entries_.begin() + (e - entries_.data()));
    Status saved = persist();
    if (!saved) log_error("stop %s ran, but the journal still lists it: %s", done.c_str(), saved.error().c_str());
}

void StopScheduler::on_tick(Clock::time_point now, const CommandTable& commands) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        Entry& e = entries_[i];
        if (e.running || e.stop.gave_up || e.deadline > now) continue;
        auto spec = commands.find(wire::command_hash(e.stop.command));
        if (spec == commands.end() || spec->second.name != e.stop.command || spec->second.stop.empty()) {
            failed(e, "the command or its stop is no longer in commands.ini");
            continue;
        }
        std::uint64_t id = e.id;
        Result<pid_t> pid = runner_->start(spec->second, e.stop.ip, Phase::stop,
                                           [this, id](bool succeeded) { on_stop_done(id, succeeded); });
        if (!pid) {
            failed(e, pid.error());
            continue;
        }
        e.running = true;
    }
}

std::optional<StopScheduler::Clock::time_point> StopScheduler::next_deadline() const {
    std::optional<Clock::time_point> next;
    for (const Entry& e : entries_) {
        if (e.running || e.stop.gave_up) continue;
        if (!next || e.deadline < *next) next = e.deadline;
    }
    return next;
}

void StopScheduler::make_all_due() {
    for (Entry& e : entries_) {
        e.stop.gave_up = false;
        e.stop.failures = 0;
        e.deadline = Clock::now();
    }
    log_info("running all %zu pending stops now", entries_.size());
}

}  // namespace ruroco
