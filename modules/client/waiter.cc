// TCP polling: see waiter.h.
#include "modules/client/waiter.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "modules/client/resolve.h"
#include "modules/common/address.h"

namespace ruroco {

namespace {

using Clock = std::chrono::steady_clock;

bool try_connect(const ResolvedAddress& a, std::chrono::milliseconds budget) {
    int fd = socket(a.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    bool ok = false;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.length) == 0) {
        ok = true;
    } else if (errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        if (poll(&p, 1, static_cast<int>(budget.count())) == 1) {
            int error = 0;
            socklen_t len = sizeof error;
            ok = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
        }
    }
    close(fd);
    return ok;
}

}  // namespace

Result<WaitTarget> parse_wait_target(const std::string& text) {
    const std::string usage = "--wait '" + text + "': expected tcp:PORT or tcp:PORT@HOST";
    if (text.rfind("tcp:", 0) != 0) return make_error(usage);
    std::string rest = text.substr(4);
    WaitTarget target;
    size_t at = rest.find('@');
    if (at != std::string::npos) {
        target.host = rest.substr(at + 1);
        if (target.host->empty()) return make_error(usage);
        rest = rest.substr(0, at);
    }
    Result<std::uint16_t> port = parse_port(rest);
    if (!port) return make_error("--wait: " + port.error());
    target.port = *port;
    return target;
}

bool wait_for_tcp(const std::string& host, std::uint16_t port, int family, std::uint32_t timeout_s) {
    auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    while (Clock::now() < deadline) {
        Result<std::vector<ResolvedAddress>> addresses = resolve_host(host, port, family, SOCK_STREAM);
        if (addresses) {
            for (const ResolvedAddress& a : *addresses) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
                if (left.count() <= 0) return false;
                if (try_connect(a, std::min(left, std::chrono::milliseconds(1000)))) return true;
            }
        }
        // The firewall rule may take a moment: try again a little later, never past the deadline.
        auto pause = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                              std::chrono::milliseconds(200));
        if (pause.count() > 0) std::this_thread::sleep_for(pause);
    }
    return false;
}

}  // namespace ruroco
