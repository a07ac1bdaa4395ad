// The four measurements of the benchmark, run the same way on any Contender. Each one starts
// its own server and stops it after, so no measurement inherits another's state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "tests/bench/contender.h"

namespace ruroco::bench {

struct Drain {
    std::uint64_t sent = 0;
    std::uint64_t dropped_by_kernel = 0;  // the socket buffer was full
    std::uint64_t judged = 0;             // sent - dropped: every one of these was read and rejected
    double cpu_seconds = 0;               // of the whole server process tree
    // What the server itself says it rejected for this kind's reason; checked equal to judged.
    std::optional<std::uint64_t> own_account;
    double per_cpu_second() const { return cpu_seconds > 0 ? static_cast<double>(judged) / cpu_seconds : 0; }
};

struct Latency {
    int knocks = 0;
    double median_ms = 0;         // client fork -> command start
    double p99_ms = 0;
    double client_median_ms = 0;  // client fork -> client exit: its share of the above
};

struct Figures {
    std::map<JunkKind, Drain> paced;      // (1) at the plan's pace: equal load for both
    std::map<JunkKind, Drain> saturated;  // (1) as fast as one sender can: what a flood costs
    Drain after_history;                  // (1) a random-junk flood after plan.history_knocks knocks
    Latency latency;
    long idle_rss_kib = 0;  // peak RSS (VmHWM), summed over the processes
    long flood_peak_rss_kib = 0;
    long idle_anon_kib = 0;  // Pss_Anon: heap, stack, written data
    long flood_anon_kib = 0;
    long idle_pss_kib = 0;
    long flood_pss_kib = 0;
    std::uint64_t flood_sent = 0;
    long stripped_binary_bytes = 0;
    long stripped_own_library_bytes = 0;  // the project's own shared libraries (fwknopd: libfko)
};

struct Plan {
    // (1) paced: each junk kind is sent at the same pace to both servers, slow enough that
    // neither should drop any (a drop is reported), so the figure is the CPU each spends per
    // datagram at equal load, wake-ups included.
    std::uint64_t drain_count = 20000;
    std::uint64_t drain_per_second = 10000;
    // (1) saturated: as fast as the sender can, for this long; what the kernel drops because
    // the server fell behind is subtracted, so the figure is still per datagram judged.
    double saturate_seconds = 2.0;
    // Authentic stale packets must all differ (fwknopd caches the digest of each one it
    // decrypted, and would count a second copy as a replay), and fwknop's client makes them
    // one process each: fewer of them.
    std::uint64_t stale_count = 4000;
    // (1) after history: a year of ten knocks a day, all accepted, before the flood.
    std::size_t history_knocks = 3650;
    int knocks = 200;
    double flood_seconds = 3.0;
    int flood_sources = 3000;
};

// (1) one junk kind sent from 64 sources, paced or saturating, to a server started for it;
// CPU time and kernel drops read around it, the server's own account checked against them.
Drain measure_drain(Contender& c, JunkKind kind, const Plan& plan, bool saturate);
// (1) the random-junk flood again, after plan.history_knocks accepted knocks.
Drain measure_drain_after_history(Contender& c, const Plan& plan);
// (2) `knocks` client runs one after the other, each timed from just before its fork to the
// stamp its command wrote.
Latency measure_latency(Contender& c, int knocks);
// (3) memory of the whole server tree after start, and after a many-source flood.
void measure_memory(Contender& c, const Plan& plan, Figures& out);
// (4) a file after `strip`, in bytes.
long stripped_size(const std::string& binary);

}  // namespace ruroco::bench
