// The benchmark's measurements: see measure.h.
#include "tests/bench/measure.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "tests/bench/probe.h"
#include "tests/e2e/server_harness.h"
#include "tests/support/process.h"

namespace ruroco::bench {

namespace {

std::size_t line_count(const std::string& path) { return test::read_lines(path).size(); }

// Stops the server however the measurement ends.
class Running {
  public:
    explicit Running(Contender& c) : c_(c) { c_.start(); }
    ~Running() { c_.stop(); }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

  private:
    Contender& c_;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Sends `pool` (paced or as fast as one thread can) to a running server and measures what
// judging it cost.
Drain drain(Contender& c, JunkKind kind, const std::vector<Datagram>& pool, std::uint64_t count, const Plan& plan,
            bool saturate) {
    Blaster blaster(64, 20);
    pid_t root = c.root_pid();
    // Whatever preparing the pool sent (the replay kind's first, accepted, knock) is judged,
    // and its command reaped, first.
    if (!wait_drained(root, c.port(), c.idle_processes(), 10000)) throw std::runtime_error(c.name() + " never went idle");
    UdpSocketCounters before = udp_socket(c.port());
    if (!before.found) throw std::runtime_error(c.name() + ": no UDP socket on its port in /proc/net/udp");
    std::vector<pid_t> processes = process_tree(root);
    std::optional<std::uint64_t> own_before = c.rejected_by_own_account(kind);
    std::uint64_t cpu_before = tree_cpu_ns(root);

    Drain d;
    // Stale packets are never sent twice (a second copy would be a replay to fwknopd).
    d.sent = saturate ? blaster.blast(pool, c.port(), plan.saturate_seconds,
                                      kind == JunkKind::stale ? pool.size() : UINT64_MAX)
                      : blaster.pace(pool, c.port(), count, plan.drain_per_second);
    if (!wait_drained(root, c.port(), c.idle_processes(), 60000)) {
        throw std::runtime_error(c.name() + " did not drain its socket");
    }
    d.cpu_seconds = static_cast<double>(tree_cpu_ns(root) - cpu_before) / 1e9;
    d.dropped_by_kernel = udp_socket(c.port()).drops - before.drops;
    d.judged = d.sent - d.dropped_by_kernel;
    // The CPU time is summed over the processes alive now: one that came or went in between
    // would take its share with it.
    if (process_tree(root) != processes) {
        throw std::runtime_error(c.name() + " started or ended a process while judging " + junk_kind_label(kind));
    }
    // The method (sent - kernel drops) must agree with the server's own account, reason and all.
    std::optional<std::uint64_t> own_after = c.rejected_by_own_account(kind);
    if (own_before && own_after) {
        d.own_account = *own_after - *own_before;
        if (*d.own_account != d.judged) {
            throw std::runtime_error(c.name() + " says it rejected " + std::to_string(*d.own_account) + " as " +
                                     junk_kind_label(kind) + ", /proc says " + std::to_string(d.judged) +
                                     " were read");
        }
    }
    return d;
}

}  // namespace

Drain measure_drain(Contender& c, JunkKind kind, const Plan& plan, bool saturate) {
    Running server(c);
    std::uint64_t count = kind == JunkKind::stale ? plan.stale_count : plan.drain_count;
    std::vector<Datagram> pool = c.junk(kind, kind == JunkKind::stale ? count : 256);
    return drain(c, kind, pool, count, plan, saturate);
}

Drain measure_drain_after_history(Contender& c, const Plan& plan) {
    Running server(c);
    c.accept_knocks(plan.history_knocks);
    std::vector<Datagram> pool = c.junk(JunkKind::random, 256);
    return drain(c, JunkKind::random, pool, 0, plan, true);
}

Latency measure_latency(Contender& c, int knocks) {
    Running server(c);
    std::vector<double> ms, client_ms;
    std::string stamps = c.stamp_file();
    std::size_t seen = line_count(stamps);
    for (int i = 0; i < knocks; ++i) {
        std::uint64_t started = test::now_ns();
        pid_t client = test::spawn(c.knock_argv(), "/dev/null", "/dev/null", c.knock_env());
        int status = 0;
        waitpid(client, &status, 0);
        std::uint64_t client_done = test::now_ns();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(c.name() + "'s client failed");
        if (!test::wait_until([&] { return line_count(stamps) > seen; }, 10000)) {
            throw std::runtime_error(c.name() + ": knock " + std::to_string(i + 1) + " ran no command");
        }
        std::vector<std::string> lines = test::read_lines(stamps);
        seen = lines.size();
        std::uint64_t ran = std::stoull(lines.back());
        ms.push_back(static_cast<double>(ran - started) / 1e6);
        client_ms.push_back(static_cast<double>(client_done - started) / 1e6);
    }
    Latency l;
    l.knocks = knocks;
    l.median_ms = median(ms);
    std::sort(ms.begin(), ms.end());
    l.p99_ms = ms[static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(ms.size()))) - 1];
    l.client_median_ms = median(client_ms);
    return l;
}

void measure_memory(Contender& c, const Plan& plan, Figures& out) {
    Running server(c);
    pid_t root = c.root_pid();
    std::this_thread::sleep_for(std::chrono::seconds(1));  // idle is the scenario being measured
    out.idle_rss_kib = tree_kib(root, "status", "VmHWM");
    out.idle_anon_kib = tree_kib(root, "smaps_rollup", "Pss_Anon");
    out.idle_pss_kib = tree_kib(root, "smaps_rollup", "Pss");
    Blaster sources(plan.flood_sources, 30);
    out.flood_sent = sources.blast(c.junk(JunkKind::random, 256), c.port(), plan.flood_seconds);
    if (!wait_drained(root, c.port(), c.idle_processes(), 60000)) {
        throw std::runtime_error(c.name() + " did not drain the many-source flood");
    }
    out.flood_peak_rss_kib = tree_kib(root, "status", "VmHWM");
    out.flood_anon_kib = tree_kib(root, "smaps_rollup", "Pss_Anon");
    out.flood_pss_kib = tree_kib(root, "smaps_rollup", "Pss");
}

long stripped_size(const std::string& binary) {
    test::TempDir dir;
    std::string copy = dir.file("stripped");
    test::RunResult r = test::run({"/usr/bin/strip", "-o", copy, binary});
    if (r.exit_code != 0) throw std::runtime_error("strip failed on " + binary + ": " + r.err);
    struct stat st {};
    if (stat(copy.c_str(), &st) != 0) throw std::runtime_error("strip wrote nothing for " + binary);
    return static_cast<long>(st.st_size);
}

}  // namespace ruroco::bench
