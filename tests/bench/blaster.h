// The benchmark's load: datagrams from a pool, sent as fast as one thread can from many
// distinct loopback sources (127.N.x.y, bound by the blaster) to 127.0.0.1:port.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ruroco::bench {

using Datagram = std::vector<std::uint8_t>;

class Blaster {
  public:
    // `sources` sockets bound to 127.<second_octet>.x.y. Throws if one cannot be bound.
    Blaster(int sources, std::uint8_t second_octet);
    ~Blaster();
    Blaster(const Blaster&) = delete;
    Blaster& operator=(const Blaster&) = delete;

    // Sends the pool round-robin, each source a burst of up to 32 in turn, as fast as it can
    // for `seconds` or until `max_count` are sent. Returns how many the kernel accepted from us.
    std::uint64_t blast(const std::vector<Datagram>& pool, std::uint16_t port, double seconds,
                        std::uint64_t max_count = UINT64_MAX) const;
    // Sends `count` datagrams (the pool round-robin) at `per_second`, in bursts of 16 on a fixed
    // schedule, each burst from the next source. Returns how many the kernel accepted.
    std::uint64_t pace(const std::vector<Datagram>& pool, std::uint16_t port, std::uint64_t count,
                       std::uint64_t per_second) const;

  private:
    // One sendmmsg of pool[next...] (wrapping), at most `burst` datagrams; advances next.
    std::uint64_t send_burst(std::size_t source, const std::vector<Datagram>& pool, std::size_t& next,
                             unsigned burst, std::uint16_t port) const;
    std::vector<int> fds_;
};

// One datagram from 127.0.0.1 to 127.0.0.1:port.
void send_one(const Datagram& datagram, std::uint16_t port);

}  // namespace ruroco::bench
