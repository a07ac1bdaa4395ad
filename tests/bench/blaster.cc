// The benchmark's load generator: see blaster.h.
#include "tests/bench/blaster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace ruroco::bench {

namespace {

sockaddr_in loopback(std::uint32_t host_order_ip, std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(host_order_ip);
    return a;
}

constexpr std::uint32_t kLocalhost = 0x7f000001;

}  // namespace

Blaster::Blaster(int sources, std::uint8_t second_octet) {
    // Raise (never lower) the descriptor limit to fit every source.
    rlim_t needed = static_cast<rlim_t>(sources) + 256;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < needed) {
        limit.rlim_cur = needed;
        if (limit.rlim_max < needed) limit.rlim_max = needed;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    for (int i = 0; i < sources; ++i) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        std::uint32_t ip = (127u << 24) | static_cast<std::uint32_t>(second_octet) << 16 |
                           static_cast<std::uint32_t>(i / 250) << 8 | static_cast<std::uint32_t>(i % 250 + 1);
        sockaddr_in from = loopback(ip, 0);
        if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
            if (fd >= 0) close(fd);
            throw std::runtime_error("cannot bind blaster source " + std::to_string(i) + ": " + std::strerror(errno));
        }
        fds_.push_back(fd);
    }
}

Blaster::~Blaster() {
    for (int fd : fds_) close(fd);
}

std::uint64_t Blaster::send_burst(std::size_t source, const std::vector<Datagram>& pool, std::size_t& next,
                                  unsigned burst, std::uint16_t port) const {
    constexpr unsigned kMaxBurst = 32;
    sockaddr_in to = loopback(kLocalhost, port);
    iovec iov[kMaxBurst];
    mmsghdr msgs[kMaxBurst];
    if (burst > kMaxBurst) burst = kMaxBurst;
    for (unsigned m = 0; m < burst; ++m, next = (next + 1) % pool.size()) {
        iov[m].iov_base = const_cast<std::uint8_t*>(pool[next].data());
        iov[m].iov_len = pool[next].size();
        msgs[m] = mmsghdr{};
        msgs[m].msg_hdr.msg_name = &to;
        msgs[m].msg_hdr.msg_namelen = sizeof to;
        msgs[m].msg_hdr.msg_iov = &iov[m];
        msgs[m].msg_hdr.msg_iovlen = 1;
    }
    int n = sendmmsg(fds_[source], msgs, burst, 0);
    return n > 0 ? static_cast<std::uint64_t>(n) : 0;
}

std::uint64_t Blaster::blast(const std::vector<Datagram>& pool, std::uint16_t port, double seconds,
                             std::uint64_t max_count) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    std::uint64_t sent = 0;
    std::size_t next = 0;
    for (std::size_t source = 0; sent < max_count && std::chrono::steady_clock::now() < deadline;
         source = (source + 1) % fds_.size()) {
        unsigned burst = static_cast<unsigned>(std::min<std::uint64_t>(32, max_count - sent));
        sent += send_burst(source, pool, next, burst, port);
    }
    return sent;
}

std::uint64_t Blaster::pace(const std::vector<Datagram>& pool, std::uint16_t port, std::uint64_t count,
                            std::uint64_t per_second) const {
    constexpr unsigned kBurst = 16;
    auto start = std::chrono::steady_clock::now();
    std::uint64_t sent = 0;
    std::size_t next = 0;
    for (std::uint64_t done = 0, source = 0; done < count; source = (source + 1) % fds_.size()) {
        // The burst that starts with datagram `done` is due at done / per_second seconds.
        std::this_thread::sleep_until(start + std::chrono::nanoseconds(done * 1000000000u / per_second));
        unsigned burst = static_cast<unsigned>(std::min<std::uint64_t>(kBurst, count - done));
        sent += send_burst(static_cast<std::size_t>(source), pool, next, burst, port);
        done += burst;
    }
    return sent;
}

void send_one(const Datagram& datagram, std::uint16_t port) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in to = loopback(kLocalhost, port);
    sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    close(fd);
}

}  // namespace ruroco::bench
