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

}  // namespace

Drain measure_drain(Contender& c, JunkKind kind, const Plan& plan, bool saturate) {
    std::uint64_t count = kind == JunkKind::stale ? plan.stale_count : plan.drain_count;
    std::vector<Datagram> pool = c.junk(kind, kind == JunkKind::stale ? count : 256);
    Blaster blaster(64, 20);
    pid_t root = c.root_pid();
    // Whatever preparing the pool sent (the replay kind's first, accepted, knock) is judged first.
    if (!wait_drained(root, c.port(), 10000)) throw std::runtime_error(c.name() + " never went idle");
    UdpSocketCounters before = udp_socket(c.port());
    if (!before.found) throw std::runtime_error(c.name() + ": no UDP socket on its port in /proc/net/udp");
    std::uint64_t cpu_before = tree_cpu_ns(root);

    Drain d;
    // Stale packets are never sent twice (a second copy would be a replay to fwknopd).
    d.sent = saturate ? blaster.blast(pool, c.port(), plan.saturate_seconds,
                                      kind == JunkKind::stale ? pool.size() : UINT64_MAX)
                      : blaster.pace(pool, c.port(), count, plan.drain_per_second);
    if (!wait_drained(root, c.port(), 60000)) throw std::runtime_error(c.name() + " did not drain its socket");
    d.cpu_seconds = static_cast<double>(tree_cpu_ns(root) - cpu_before) / 1e9;
    d.dropped_by_kernel = udp_socket(c.port()).drops - before.drops;
    d.judged = d.sent - d.dropped_by_kernel;
    return d;
}

Latency measure_latency(Contender& c, int knocks) {
    std::vector<double> ms;
    std::string stamps = c.stamp_file();
    std::size_t seen = line_count(stamps);
    for (int i = 0; i < knocks; ++i) {
        std::uint64_t started = test::now_ns();
        pid_t client = test::spawn(c.knock_argv(), "/dev/null", "/dev/null", c.knock_env());
        int status = 0;
        waitpid(client, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(c.name() + "'s client failed");
        if (!test::wait_until([&] { return line_count(stamps) > seen; }, 10000)) {
            throw std::runtime_error(c.name() + ": knock " + std::to_string(i + 1) + " ran no command");
        }
        std::vector<std::string> lines = test::read_lines(stamps);
        seen = lines.size();
        std::uint64_t ran = std::stoull(lines.back());
        ms.push_back(static_cast<double>(ran - started) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    Latency l;
    l.knocks = knocks;
    l.median_ms = ms[ms.size() / 2];
    l.p99_ms = ms[static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(ms.size()))) - 1];
    return l;
}

void measure_memory(Contender& c, const Plan& plan, Figures& out) {
    pid_t root = c.root_pid();
    std::this_thread::sleep_for(std::chrono::seconds(1));  // idle is the scenario being measured
    out.idle_rss_kib = tree_peak_rss_kib(root);
    Blaster sources(plan.flood_sources, 30);
    out.flood_sent = sources.blast(c.junk(JunkKind::random, 256), c.port(), plan.flood_seconds);
    wait_drained(root, c.port(), 60000);
    out.flood_peak_rss_kib = tree_peak_rss_kib(root);
    out.flood_pss_kib = tree_pss_kib(root);
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
