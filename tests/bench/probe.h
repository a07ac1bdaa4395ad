// What the benchmark reads about a running server from /proc: CPU time and resident memory of
// its whole process tree, and the kernel's counters for its UDP socket. The same probe reads
// ruroco and fwknopd, so their figures are comparable.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ruroco::bench {

// root and every process below it, now.
std::vector<pid_t> process_tree(pid_t root);

// CPU time (user + system) of every thread of every process in the tree, in nanoseconds,
// from /proc/PID/task/TID/schedstat (nanosecond resolution, unlike /proc/PID/stat's ticks).
std::uint64_t tree_cpu_ns(pid_t root);

// Sum over the tree of one "Field: N kB" line of /proc/PID/<file>, in KiB: "status" VmHWM (peak
// RSS), or "smaps_rollup" Pss (each shared page split between the processes that map it, so a
// parent and child sharing libraries are not counted twice) and Pss_Anon (the part of it that
// is heap, stack and written data, which no file backs).
long tree_kib(pid_t root, const std::string& file, const std::string& field);

struct UdpSocketCounters {
    bool found = false;
    std::uint64_t rx_queue = 0;  // bytes waiting to be read
    std::uint64_t drops = 0;     // datagrams the kernel dropped because the buffer was full
};

// The UDP (IPv4) socket bound to local port `port`, from /proc/net/udp of this network namespace.
UdpSocketCounters udp_socket(std::uint16_t port);

// Waits (bounded) until the socket's receive queue is empty, the tree's CPU time has stopped
// moving and the tree is back to `idle_processes` (every command it ran has been reaped):
// every datagram sent has been read and judged. False on timeout.
bool wait_drained(pid_t root, std::uint16_t port, std::size_t idle_processes, int timeout_ms);

}  // namespace ruroco::bench
