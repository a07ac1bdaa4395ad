// The network-facing loop: see server_loop.h.
#include "modules/server/server_loop.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "modules/common/log.h"
#include "modules/server/udp_socket.h"

namespace ruroco {

namespace {

// 64 x 32 datagrams between two looks at the signals: a few milliseconds of work.
constexpr int kMaxBatchesPerWake = 64;

std::uint64_t wall_clock_ns() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

int make_signalfd() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaddset(&set, sig);
    if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return -1;
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

void hand_on(ServerLoopSetup& s, const wire::CommanderMessage& message) {
    Status sent = s.link->send(message);
    if (!sent) {
        s.pipeline->stats().count(LocalFailure::commander_unavailable);
        log_error("accepted packet not acted on: %s", sent.error().c_str());
    }
}

}  // namespace

int run_server_loop(ServerLoopSetup& s) {
    int sig_fd = make_signalfd();
    if (sig_fd < 0) {
        log_error("signalfd: %s", std::strerror(errno));
        return 1;
    }
    UdpReceiver receiver;
    wire::CommanderMessage message;
    for (;;) {
        pollfd fds[3] = {{s.udp_fd, POLLIN, 0}, {sig_fd, POLLIN, 0}, {s.link->fd(), 0, 0}};
        // Only hang-ups matter on the link: the commander never writes back.
        nfds_t count = s.link->fd() >= 0 ? 3 : 2;
        int ready = poll(fds, count, 1000);
        if (ready < 0 && errno != EINTR) {
            log_error("poll: %s", std::strerror(errno));
            return 1;
        }
        if (count == 3 && (fds[2].revents & (POLLHUP | POLLERR)) != 0) {
            if (s.link->is_fixed()) {
                log_error("the commander closed its end of the socketpair; exiting");
                return 1;
            }
            s.link->forget_connection();
        }
        if ((fds[1].revents & POLLIN) != 0) {
            signalfd_siginfo info;
            while (read(sig_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
                int sig = static_cast<int>(info.ssi_signo);
                if (sig == SIGTERM || sig == SIGINT) {
                    log_info("server: stopping on %s; counters: %s", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                             s.pipeline->stats().totals_line().c_str());
                    close(sig_fd);
                    return 0;
                }
                if (sig == SIGUSR1) log_info("counters: %s", s.pipeline->stats().totals_line().c_str());
                if (sig == SIGHUP && s.reload_keys) {
                    std::optional<wire::KeyRing> keys = s.reload_keys();
                    if (keys) {
                        log_info("SIGHUP: reloaded %zu keys", keys->size());
                        s.pipeline->replace_keys(std::move(*keys));
                    } else {
                        log_error("SIGHUP: keeping the keys loaded before");
                    }
                }
            }
        }
        if ((fds[0].revents & POLLIN) != 0) {
            // Bounded: under a flood that refills the socket as fast as it drains, signals and
            // the drop summary must still get their turn.
            for (int batch = 0; batch < kMaxBatchesPerWake; ++batch) {
                int n = receiver.receive(s.udp_fd);
                if (n < 0) {
                    log_error("recvmmsg: %s", std::strerror(errno));
                    return 1;
                }
                std::uint64_t now = wall_clock_ns();
                for (int i = 0; i < n; ++i) {
                    UdpReceiver::Datagram d = receiver.datagram(i);
                    if (s.pipeline->handle(d.data, d.size, d.source, d.local, now, message) == Outcome::accepted) {
                        hand_on(s, message);
                    }
                }
                if (n < static_cast<int>(UdpReceiver::kBatch)) break;
            }
        }
        s.pipeline->stats().maybe_log_summary(wall_clock_ns());
    }
}

}  // namespace ruroco
