// Knock sending: see sender.h.
#include "modules/client/sender.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace ruroco {

namespace {

// 0 when all 94 bytes left, else the errno that stopped them.
int send_one(const ResolvedAddress& a, const wire::Packet& packet) {
    int fd = socket(a.addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    ssize_t n =
        sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<const sockaddr*>(&a.addr), a.length);
    int error = n < 0 ? errno : 0;
    if (n >= 0 && static_cast<std::size_t>(n) != packet.size()) error = EMSGSIZE;
    close(fd);
    return error;
}

}  // namespace

std::vector<SendOutcome> send_knock(const wire::Key& key, wire::ClientData data,
                                    const std::vector<ResolvedAddress>& addresses) {
    std::vector<SendOutcome> outcomes;
    outcomes.reserve(addresses.size());
    for (const ResolvedAddress& a : addresses) {
        data.dst_ip = wire::Ip::from_sockaddr(reinterpret_cast<const sockaddr*>(&a.addr));
        // A fresh nonce per copy: the plaintexts differ only in dst_ip.
        wire::Packet packet = wire::seal_packet(key, data);
        outcomes.push_back(SendOutcome{a.text, send_one(a, packet)});
    }
    return outcomes;
}

}  // namespace ruroco
