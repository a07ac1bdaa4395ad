// Sending commander messages: see commander_link.h.
#include "modules/server/commander_link.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ruroco {

CommanderLink CommanderLink::connected(int fd) { return CommanderLink(fd, ""); }
CommanderLink CommanderLink::to_path(std::string path) { return CommanderLink(-1, std::move(path)); }

CommanderLink::CommanderLink(CommanderLink&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

CommanderLink::~CommanderLink() {
    if (fd_ >= 0) close(fd_);
}

void CommanderLink::forget_connection() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
}

Status CommanderLink::connect_path() {
    if (fd_ >= 0) close(fd_);
    // Non-blocking: a commander that stopped accepting (full backlog) makes connect fail
    // with EAGAIN at once instead of stalling the UDP loop.
    fd_ = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) return make_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::string why = std::strerror(errno);
        close(fd_);
        fd_ = -1;
        return make_error("cannot connect to the commander at " + path_ + ": " + why);
    }
    return ok_status();
}

Status CommanderLink::send(const wire::CommanderMessage& message) {
    wire::CommanderMessageBytes bytes = wire::encode_commander_message(message);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (fd_ < 0 && !path_.empty()) {
            Status connected = connect_path();
            if (!connected) return connected;
        }
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n == static_cast<ssize_t>(bytes.size())) return ok_status();
        std::string why = n < 0 ? std::strerror(errno) : "short send";
        bool reconnect = !path_.empty() && n < 0 && (errno == EPIPE || errno == ECONNREFUSED || errno == ENOTCONN || errno == ECONNRESET);
        if (!reconnect) return make_error("cannot send to the commander: " + why);
        close(fd_);
        fd_ = -1;
    }
    return make_error("cannot send to the commander at " + path_ + ": it keeps closing the connection");
}

}  // namespace ruroco
