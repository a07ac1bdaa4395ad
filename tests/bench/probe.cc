// The benchmark's /proc readers: see probe.h.
#include "tests/bench/probe.h"

#include <dirent.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace ruroco::bench {

namespace {

std::vector<std::string> list_dir(const std::string& path) {
    std::vector<std::string> names;
    DIR* dir = opendir(path.c_str());
    if (dir == nullptr) return names;
    while (dirent* e = readdir(dir)) {
        if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    }
    closedir(dir);
    return names;
}

long field_kib(pid_t pid, const std::string& file, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return 0;
}

}  // namespace

std::vector<pid_t> process_tree(pid_t root) {
    std::vector<pid_t> tree{root};
    for (std::size_t i = 0; i < tree.size(); ++i) {
        std::string task_dir = "/proc/" + std::to_string(tree[i]) + "/task/";
        for (const std::string& tid : list_dir(task_dir)) {
            std::ifstream in(task_dir + tid + "/children");
            pid_t child = 0;
            while (in >> child) tree.push_back(child);
        }
    }
    return tree;
}

std::uint64_t tree_cpu_ns(pid_t root) {
    std::uint64_t sum = 0;
    for (pid_t pid : process_tree(root)) {
        std::string task_dir = "/proc/" + std::to_string(pid) + "/task/";
        for (const std::string& tid : list_dir(task_dir)) {
            std::ifstream in(task_dir + tid + "/schedstat");
            std::uint64_t on_cpu_ns = 0;
            if (in >> on_cpu_ns) sum += on_cpu_ns;
        }
    }
    return sum;
}

long tree_kib(pid_t root, const std::string& file, const std::string& field) {
    long sum = 0;
    for (pid_t pid : process_tree(root)) sum += field_kib(pid, file, field);
    return sum;
}

UdpSocketCounters udp_socket(std::uint16_t port) {
    UdpSocketCounters c;
    std::ifstream in("/proc/net/udp");
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
        std::istringstream fields(line);
        std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode, ref, pointer;
        std::uint64_t drops = 0;
        if (!(fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >>
              inode >> ref >> pointer >> drops)) {
            continue;
        }
        std::size_t colon = local.find(':');
        if (colon == std::string::npos || std::stoul(local.substr(colon + 1), nullptr, 16) != port) continue;
        c.found = true;
        c.rx_queue = std::stoull(queues.substr(queues.find(':') + 1), nullptr, 16);
        c.drops = drops;
        return c;
    }
    return c;
}

bool wait_drained(pid_t root, std::uint16_t port, std::size_t idle_processes, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::uint64_t last_cpu = tree_cpu_ns(root);
    while (std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::uint64_t cpu = tree_cpu_ns(root);
        // Still working if the CPU time moved more than 1 ms in 50 ms (idle loops move less).
        bool busy = cpu - last_cpu > 1000000;
        last_cpu = cpu;
        if (!busy && udp_socket(port).rx_queue == 0 && process_tree(root).size() == idle_processes) return true;
    }
    return false;
}

}  // namespace ruroco::bench
