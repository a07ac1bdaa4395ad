// UDP socket setup and batch receive: see udp_socket.h.
#include "modules/server/udp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ruroco {

Status enable_pktinfo(int fd) {
    int on = 1;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        return make_error(std::string("getsockname: ") + std::strerror(errno));
    }
    if (addr.ss_family == AF_INET6) {
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) != 0) {
            return make_error(std::string("IPV6_RECVPKTINFO: ") + std::strerror(errno));
        }
    }
    // On a dual-stack AF_INET6 socket IPv4 datagrams carry IP_PKTINFO; fails harmlessly on v6-only.
    if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) != 0 && addr.ss_family == AF_INET) {
        return make_error(std::string("IP_PKTINFO: ") + std::strerror(errno));
    }
    return ok_status();
}

Result<int> open_udp_socket(const ServerConfig& config) {
    bool v4 = config.listen_ip.is_v4();
    int fd = socket(v4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return make_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_storage addr{};
    socklen_t len;
    if (v4) {
        auto* in = reinterpret_cast<sockaddr_in*>(&addr);
        in->sin_family = AF_INET;
        in->sin_port = htons(config.listen_port);
        std::memcpy(&in->sin_addr, config.listen_ip.bytes.data() + 12, 4);
        len = sizeof *in;
    } else {
        int off = 0;
        // [::] takes IPv4 too; a specific IPv6 address cannot, whatever the sysctl says.
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(config.listen_port);
        std::memcpy(&in6->sin6_addr, config.listen_ip.bytes.data(), 16);
        len = sizeof *in6;
    }
    std::string where = (v4 ? config.listen_ip.to_string() : "[" + config.listen_ip.to_string() + "]") +
                        ":" + std::to_string(config.listen_port);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
        std::string why = std::strerror(errno);
        close(fd);
        return make_error("cannot listen on " + where + " (" + config.path + ": listen): " + why);
    }
    // A deep receive queue rides out bursts (and floods) without dropping the knock inside them.
    // FORCE works as root (privilege-separated mode binds as root); otherwise rmem_max caps it.
    int queue = 8 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &queue, sizeof queue) != 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &queue, sizeof queue);
    }
    Status pktinfo = enable_pktinfo(fd);
    if (!pktinfo) {
        close(fd);
        return make_error(pktinfo.error());
    }
    return fd;
}

int socket_from_activation() {
    const char* pid = std::getenv("LISTEN_PID");
    const char* fds = std::getenv("LISTEN_FDS");
    if (pid == nullptr || fds == nullptr) return -1;
    if (std::strtol(pid, nullptr, 10) != getpid() || std::strcmp(fds, "1") != 0) return -1;
    int fd = 3;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (!enable_pktinfo(fd)) return -1;
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    return fd;
}

UdpReceiver::UdpReceiver() {
    for (std::size_t i = 0; i < kBatch; ++i) {
        iovecs_[i] = {buffers_[i].data(), kBufferSize};
    }
}

int UdpReceiver::receive(int fd) {
    for (std::size_t i = 0; i < kBatch; ++i) {
        msghdr& h = messages_[i].msg_hdr;
        h.msg_name = &sources_[i];
        h.msg_namelen = sizeof sources_[i];
        h.msg_iov = &iovecs_[i];
        h.msg_iovlen = 1;
        h.msg_control = controls_[i].data();
        h.msg_controllen = controls_[i].size();
        h.msg_flags = 0;
        messages_[i].msg_len = 0;
    }
    // MSG_TRUNC: msg_len is the datagram's real length, so 95+ bytes are seen as such.
    int n = recvmmsg(fd, messages_.data(), kBatch, MSG_DONTWAIT | MSG_TRUNC, nullptr);
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    return n;
}

UdpReceiver::Datagram UdpReceiver::datagram(int i) const {
    const mmsghdr& m = messages_[static_cast<std::size_t>(i)];
    Datagram d{buffers_[static_cast<std::size_t>(i)].data(), m.msg_len,
               wire::Ip::from_sockaddr(reinterpret_cast<const sockaddr*>(&sources_[static_cast<std::size_t>(i)])),
               wire::Ip{}};
    if ((m.msg_hdr.msg_flags & MSG_TRUNC) != 0 && d.size <= kBufferSize) d.size = kBufferSize + 1;
    msghdr h = m.msg_hdr;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            in_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            d.local = wire::Ip::from_v4(reinterpret_cast<const std::uint8_t*>(&info.ipi_addr));
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            std::memcpy(d.local.bytes.data(), &info.ipi6_addr, 16);
        }
    }
    return d;
}

}  // namespace ruroco
