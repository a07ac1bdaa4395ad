// The server's UDP socket: bound from server.ini or taken from systemd socket activation, with
// IP_PKTINFO / IPV6_RECVPKTINFO so each datagram's local address is known (step 8), and a
// batch receiver (recvmmsg) into buffers allocated once.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "modules/common/server_config.h"
#include "wire/ip.h"
#include "wire/result.h"

namespace ruroco {

Result<int> open_udp_socket(const ServerConfig& config);
// fd 3 when LISTEN_PID is this process and LISTEN_FDS is 1 (pktinfo enabled on it), else -1.
int socket_from_activation();
// Asks for the local address of every datagram; both families so a [::] socket sees IPv4 too.
Status enable_pktinfo(int fd);

class UdpReceiver {
  public:
    static constexpr std::size_t kBatch = 32;
    // Larger than a packet, so an oversized datagram shows its size instead of fitting.
    static constexpr std::size_t kBufferSize = 128;

    struct Datagram {
        const std::uint8_t* data;
        std::size_t size;  // the datagram's true size, even when larger than the buffer
        wire::Ip source;
        wire::Ip local;
    };

    UdpReceiver();
    // Receives what is waiting, up to kBatch datagrams, without blocking. Returns the number
    // received (0 when none), or -1 on an error other than EAGAIN/EINTR.
    int receive(int fd);
    Datagram datagram(int i) const;

  private:
    std::array<std::array<std::uint8_t, kBufferSize>, kBatch> buffers_{};
    std::array<sockaddr_storage, kBatch> sources_{};
    std::array<std::array<std::uint8_t, 128>, kBatch> controls_{};
    std::array<iovec, kBatch> iovecs_{};
    std::array<mmsghdr, kBatch> messages_{};
};

}  // namespace ruroco
