// A UDP socket on loopback that the client's knocks are sent to, so tests can read back the
// exact datagrams that left. Header-only: shared by the binary tests and the unit tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

namespace ruroco::test {

class Capture {
  public:
    // port 0: an ephemeral port; bind failure (no IPv6 loopback, port taken) shows in ok().
    explicit Capture(int family = AF_INET, std::uint16_t port = 0) {
        fd_ = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_storage addr{};
        socklen_t len;
        if (family == AF_INET) {
            auto* in = reinterpret_cast<sockaddr_in*>(&addr);
            in->sin_family = AF_INET;
            in->sin_port = htons(port);
            in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            len = sizeof *in;
        } else {
            auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(port);
            in6->sin6_addr = in6addr_loopback;
            len = sizeof *in6;
        }
        ok_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0;
        if (ok_ && getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
            port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&addr)->sin_port
                                            : reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
        }
    }
    ~Capture() {
        if (fd_ >= 0) close(fd_);
    }
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    bool ok() const { return ok_; }
    std::uint16_t port() const { return port_; }

    // Every datagram that arrives within timeout_ms of the previous one (or of the call).
    // The buffer is larger than 94 bytes so that an oversized datagram shows as such.
    std::vector<std::vector<std::uint8_t>> receive(int timeout_ms = 2000) const {
        std::vector<std::vector<std::uint8_t>> out;
        pollfd p{fd_, POLLIN, 0};
        while (poll(&p, 1, timeout_ms) == 1) {
            std::uint8_t buffer[512];
            ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
            if (n < 0) break;
            out.emplace_back(buffer, buffer + n);
            timeout_ms = 200;
        }
        return out;
    }

  private:
    int fd_ = -1;
    bool ok_ = false;
    std::uint16_t port_ = 0;
};

}  // namespace ruroco::test
