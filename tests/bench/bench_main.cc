// The benchmark against fwknopd (issue 6): the same four measurements on ruroco and on
// fwknopd, in one run, in a private network namespace, printed as one Markdown table.
//
//   bench [--quick] [--out FILE] [--from TEXT]   needs root (network namespace, privilege separation)
//
// --from says where the ruroco binary under test (RUROCO_BIN) came from, for the table's head.
//
// Both servers run `stamp FILE` (built next to this program) as their command.
//
// Exit 77 (meson's "skipped") with the reason when it cannot run here.
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

#include "tests/bench/fwknop_contender.h"
#include "tests/bench/measure.h"
#include "tests/bench/probe.h"
#include "tests/bench/ruroco_contender.h"
#include "tests/bench/table.h"
#include "tests/e2e/server_harness.h"
#include "tests/support/process.h"
#include "wire/key.h"

using namespace ruroco;
using namespace ruroco::bench;

namespace {

constexpr int kSkip = 77;

// A network namespace of our own, so fwknopd's firewall set-up and every socket stay private.
std::string enter_private_network() {
    if (unshare(CLONE_NEWNET) != 0) return std::string("cannot make a network namespace: ") + std::strerror(errno);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    bool up = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) == 0);
    if (fd >= 0) close(fd);
    return up ? "" : "cannot bring up lo in the new network namespace";
}

std::string self_path() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) throw std::runtime_error("cannot read /proc/self/exe");
    return std::string(buf, static_cast<std::size_t>(n));
}

std::string first_line_with(const std::string& path, const std::string& prefix) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) return line.substr(line.find(':') + 2);
    }
    return "?";
}

std::string machine_line() {
    utsname u{};
    uname(&u);
    char date[32];
    std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
    std::ifstream debian("/etc/debian_version");
    std::string debian_version = "?";
    debian >> debian_version;
    return first_line_with("/proc/cpuinfo", "model name") + ", " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) +
           " CPUs, " + std::to_string(sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / (1024L * 1024 * 1024)) +
           " GiB RAM; Linux " + u.release + " " + u.machine + "; Debian " + debian_version + "; " + date;
}

std::string short_number(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", value);
    return buf;
}

// What the binary under test says it is ("ruroco 0.1.0").
std::string ruroco_version() {
    test::RunResult r = test::run({test::ruroco_bin(), "--version"});
    std::string line = r.out.substr(0, r.out.find('\n'));
    return r.exit_code == 0 && !line.empty() ? line : "ruroco (version unknown)";
}

const JunkKind kKinds[] = {JunkKind::wrong_size, JunkKind::random, JunkKind::forged, JunkKind::replay,
                           JunkKind::stale};

Figures measure_all(Contender& c, const Plan& plan) {
    Figures f;
    for (bool saturate : {false, true}) {
        for (JunkKind kind : kKinds) {
            std::cerr << "bench: " << c.name() << ": " << (saturate ? "flooding " : "pacing ") << junk_kind_label(kind)
                      << "\n";
            Drain d = measure_drain(c, kind, plan, saturate);
            if (!saturate && d.dropped_by_kernel > 0) {
                std::cerr << "bench: warning: the kernel dropped " << d.dropped_by_kernel << " paced datagrams for "
                          << c.name() << "; its figure counts only the ones it read\n";
            }
            (saturate ? f.saturated : f.paced)[kind] = d;
        }
    }
    std::cerr << "bench: " << c.name() << ": " << plan.history_knocks << " accepted knocks, then a flood\n";
    f.after_history = measure_drain_after_history(c, plan);
    std::cerr << "bench: " << c.name() << ": memory\n";
    measure_memory(c, plan, f);
    std::cerr << "bench: " << c.name() << ": " << plan.knocks << " knocks\n";
    f.latency = measure_latency(c, plan.knocks);
    f.stripped_binary_bytes = stripped_size(c.server_binary());
    for (const std::string& library : c.own_libraries()) f.stripped_own_library_bytes += stripped_size(library);
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    Plan plan;
    std::string out_path, from;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--quick") {
            plan.drain_count = 2000;
            plan.stale_count = 500;
            plan.saturate_seconds = 0.5;
            plan.knocks = 30;
            plan.flood_seconds = 1.0;
            plan.history_knocks = 365;
        } else if (arg == "--out" && i + 1 < argc) {
            out_path = argv[++i];
        } else if (arg == "--from" && i + 1 < argc) {
            from = argv[++i];
        } else {
            std::cerr << "bench: unknown argument '" << arg << "'; usage: bench [--quick] [--out FILE] [--from TEXT]\n";
            return 2;
        }
    }
    try {
        if (std::string why = test::why_no_root(); !why.empty()) {
            std::cerr << "bench: skipped: " << why << "\n";
            return kSkip;
        }
        if (std::string why = FwknopContender::why_unavailable(); !why.empty()) {
            std::cerr << "bench: skipped: " << why << "\n";
            return kSkip;
        }
        if (std::string why = enter_private_network(); !why.empty()) {
            std::cerr << "bench: skipped: " << why << "\n";
            return kSkip;
        }
        if (!wire::crypto_init()) throw std::runtime_error("libsodium did not initialise");
        std::string self = self_path();
        std::string stamp_binary = self.substr(0, self.rfind('/') + 1) + "stamp";
        RurocoContender ruroco(stamp_binary);
        Figures ours = measure_all(ruroco, plan);
        FwknopContender fwknopd(stamp_binary);
        Figures theirs = measure_all(fwknopd, plan);
        std::string legend =
            "Every figure comes from a server started for it with empty replay state. (1) junk from 64 loopback "
            "sources; paced: " + std::to_string(plan.drain_count) + " datagrams at " +
            std::to_string(plan.drain_per_second) + "/s (authentic stale ones: " + std::to_string(plan.stale_count) +
            ", all distinct); flood: one sender thread as fast as it can for " + short_number(plan.saturate_seconds) +
            " s; after history: the same random-junk flood after " + std::to_string(plan.history_knocks) +
            " accepted knocks, each sent once the one before had run its command. CPU time of every server process; judged = sent - kernel drops, and "
            "equal, in every row but fwknopd's not-base64 ones (it logs nothing for those), to what the server "
            "itself counted or logged as rejected for that reason. (2) " + std::to_string(plan.knocks) +
            " knocks one after another, each from the client's fork to the stamp its command wrote. (3) summed over "
            "the server's processes: peak RSS (VmHWM) and anonymous memory (Pss_Anon: heap, stack, written data), "
            "after 1 s idle and after " + short_number(plan.flood_seconds) + " s of random junk from " +
            std::to_string(plan.flood_sources) + " sources. (4) `strip`ped copies; ruroco's one executable holds "
            "the client, the server and the commander.";
        std::string table = markdown_table(ours, theirs, plan.history_knocks, machine_line(),
                                           ruroco_version() + " (" + (from.empty() ? test::ruroco_bin() : from) +
                                               "), " + FwknopContender::version(),
                                           legend);
        std::cout << table;
        if (!out_path.empty()) test::write_text(out_path, table, 0644);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench: " << e.what() << "\n";
        return 1;
    }
}
