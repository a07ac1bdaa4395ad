// fwknopd under benchmark: see fwknop_contender.h.
#include "tests/bench/fwknop_contender.h"

#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "tests/bench/probe.h"
#include "tests/e2e/server_harness.h"

namespace ruroco::bench {

namespace {

const char* const kFwknopd = "/usr/sbin/fwknopd";
const char* const kFwknop = "/usr/bin/fwknop";

// The rest of the line that starts with `label`.
std::string line_value(const std::string& text, const std::string& label) {
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (text.compare(start, label.size(), label) == 0) return text.substr(start + label.size(), end - start - label.size());
        start = end + 1;
    }
    throw std::runtime_error("fwknop --key-gen printed no " + label);
}

// The shell's single quotes, for the packet-making loop.
std::string quoted(const std::string& s) { return "'" + s + "'"; }

// What fwknopd 2.6.10 logs, once per datagram, when it rejects one of that kind (seen in its
// log and its source, incoming_spa.c and replay_cache.c). Data that is not base64 is dropped
// without a word unless it runs verbose, which would change what is measured.
const char* log_marker(JunkKind kind) {
    switch (kind) {
        case JunkKind::wrong_size: return nullptr;
        case JunkKind::random:
        case JunkKind::forged: return "FKO_ERROR_INVALID_DATA_HMAC_COMPAREFAIL";
        case JunkKind::replay: return "Replay detected from source IP";
        case JunkKind::stale: return "SPA data time difference is too great";
    }
    return nullptr;
}

std::uint64_t lines_containing(const std::string& path, const std::string& marker) {
    std::ifstream in(path);
    std::string line;
    std::uint64_t n = 0;
    while (std::getline(in, line)) {
        if (line.find(marker) != std::string::npos) n++;
    }
    return n;
}

}  // namespace

std::string FwknopContender::why_unavailable() {
    for (const char* program : {kFwknopd, kFwknop, "/usr/sbin/iptables"}) {
        if (access(program, X_OK) != 0) {
            return std::string(program) +
                   " is missing: apt-get install -y fwknop-server fwknop-client iptables (tests/bench/run.sh does)";
        }
    }
    return "";
}

std::string FwknopContender::version() {
    test::RunResult r = test::run({kFwknopd, "--version"});
    std::string line = r.out.substr(0, r.out.find(','));  // "fwknopd server 2.6.10, compiled for ..."
    return line.empty() ? "fwknopd (version unknown)" : line;
}

FwknopContender::FwknopContender(const std::string& stamp_binary) : keys_(generate_keys()) {
    mkdir(dir_.file("run").c_str(), 0700);
    mkdir(dir_.file("home").c_str(), 0700);
    // fwknopd refuses configuration files that others can read.
    test::write_text(dir_.file("fwknopd.conf"),
                     "ENABLE_UDP_SERVER Y;\n"
                     "UDPSERV_PORT " + std::to_string(kPort) + ";\n"
                     "FWKNOP_RUN_DIR " + dir_.file("run") + ";\n",
                     0600);
    // A command cycle and no OPEN_PORTS: fwknopd runs the command and touches no firewall rule.
    test::write_text(dir_.file("access.conf"),
                     "SOURCE ANY\n"
                     "KEY_BASE64 " + keys_.rijndael_base64 + "\n"
                     "HMAC_KEY_BASE64 " + keys_.hmac_base64 + "\n"
                     "CMD_CYCLE_OPEN " + stamp_command(stamp_binary, dir_.file("stamps")) + "\n"
                     "CMD_CYCLE_CLOSE NONE\n"
                     "CMD_CYCLE_TIMER 1\n",
                     0600);
}

FwknopContender::~FwknopContender() { stop(); }

std::string FwknopContender::server_binary() const { return kFwknopd; }

std::vector<std::string> FwknopContender::own_libraries() const {
    // "\tlibfko.so.3 => /usr/lib/x86_64-linux-gnu/libfko.so.3 (0x...)"
    test::RunResult r = test::run({"/usr/bin/ldd", kFwknopd});
    std::size_t name = r.out.find("libfko.so");
    std::size_t arrow = r.out.find("=> ", name);
    if (name == std::string::npos || arrow == std::string::npos) throw std::runtime_error("ldd shows no libfko for fwknopd");
    std::size_t start = arrow + 3;
    return {r.out.substr(start, r.out.find(' ', start) - start)};
}

std::optional<std::uint64_t> FwknopContender::rejected_by_own_account(JunkKind kind) {
    const char* marker = log_marker(kind);
    if (marker == nullptr) return std::nullopt;
    return lines_containing(dir_.file("fwknopd.log"), marker);
}

void FwknopContender::accept_knocks(std::size_t count) {
    std::vector<Datagram> knocks = make_packets(keys_, count, "");
    knock_one_at_a_time(name(), knocks, kPort, stamp_file());
}

FwknopContender::Keys FwknopContender::generate_keys() const {
    test::RunResult r = test::run({kFwknop, "--key-gen", "--no-rc-file"}, {"HOME=" + dir_.file("home")});
    if (r.exit_code != 0) throw std::runtime_error("fwknop --key-gen failed: " + r.err);
    return Keys{line_value(r.out, "KEY_BASE64: "), line_value(r.out, "HMAC_KEY_BASE64: ")};
}

void FwknopContender::start() {
    // Empty replay state: fwknopd loads every digest in this file at start and keeps them all.
    unlink(dir_.file("run/digest.cache").c_str());
    unlink(dir_.file("run/fwknopd.pid").c_str());
    // Foreground (-f) so it stays our child; its log (stderr) goes to a file, as a daemon's
    // would go to syslog.
    pid_ = test::spawn({kFwknopd, "-f", "-c", dir_.file("fwknopd.conf"), "-a", dir_.file("access.conf")},
                       dir_.file("fwknopd.out"), dir_.file("fwknopd.log"));
    if (!test::wait_until([&] { return udp_socket(kPort).found; }, 10000)) {
        throw std::runtime_error("fwknopd did not open its UDP port; its log:\n" + test::read_text(dir_.file("fwknopd.log")));
    }
}

void FwknopContender::stop() {
    if (pid_ == 0) return;
    kill(pid_, SIGTERM);
    if (!test::wait_until([&] { return waitpid(pid_, nullptr, WNOHANG) == pid_; }, 5000)) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    pid_ = 0;
}

std::vector<std::string> FwknopContender::client_argv(const Keys& keys) const {
    return {kFwknop, "--no-rc-file", "--no-save-args", "-A", "tcp/22", "-a", "127.0.0.1", "-D", "127.0.0.1",
            "--server-proto", "udp", "--server-port", std::to_string(kPort), "--use-hmac",
            "--key-base64-rijndael", keys.rijndael_base64, "--key-base64-hmac", keys.hmac_base64};
}

std::vector<std::string> FwknopContender::knock_argv() const { return client_argv(keys_); }

std::vector<std::string> FwknopContender::knock_env() const { return {"HOME=" + dir_.file("home")}; }

std::vector<Datagram> FwknopContender::make_packets(const Keys& keys, std::size_t count, const std::string& extra) {
    // Two client loops at once (one per core), each appending its packets (-T: do not send,
    // -B/-b: save, append) to its own file, one packet of base64 text per line.
    std::string command;
    for (const std::string& arg : client_argv(keys)) command += quoted(arg) + " ";
    command += "-T -b " + extra;
    std::vector<pid_t> makers;
    std::size_t per_maker = (count + 1) / 2;
    for (int m = 0; m < 2; ++m) {
        std::string file = dir_.file("packets." + std::to_string(m));
        unlink(file.c_str());
        std::string loop = "i=0; while [ $i -lt " + std::to_string(per_maker) + " ]; do " + command + " -B " +
                           quoted(file) + " >/dev/null || exit 1; i=$((i+1)); done";
        makers.push_back(test::spawn({"/bin/sh", "-c", loop}, "/dev/null", dir_.file("maker.err"), knock_env()));
    }
    for (pid_t maker : makers) {
        int status = 0;
        waitpid(maker, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            throw std::runtime_error("fwknop could not make packets: " + test::read_text(dir_.file("maker.err")));
        }
    }
    std::vector<Datagram> packets;
    for (int m = 0; m < 2; ++m) {
        for (const std::string& line : test::read_lines(dir_.file("packets." + std::to_string(m)))) {
            if (packets.size() < count && !line.empty()) packets.emplace_back(line.begin(), line.end());
        }
    }
    if (packets.size() != count) throw std::runtime_error("fwknop made " + std::to_string(packets.size()) + " packets");
    return packets;
}

std::vector<Datagram> FwknopContender::junk(JunkKind kind, std::size_t distinct) {
    std::vector<Datagram> pool;
    switch (kind) {
        case JunkKind::wrong_size:
            // Shorter than fwknopd's minimum SPA message: rejected before any crypto.
            for (std::size_t i = 0; i < distinct; ++i) {
                Datagram d(93);
                randombytes_buf(d.data(), d.size());
                pool.push_back(d);
            }
            break;
        case JunkKind::random: {
            // Base64 text of a real packet's length: fwknopd's packets are base64.
            static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            std::size_t length = make_packets(keys_, 1, "").front().size();
            for (std::size_t i = 0; i < distinct; ++i) {
                Datagram d(length);
                for (auto& b : d) b = static_cast<std::uint8_t>(kAlphabet[randombytes_uniform(64)]);
                pool.push_back(d);
            }
            break;
        }
        case JunkKind::forged:
            // Well-made packets under keys this server does not have: the HMAC check fails.
            pool = make_packets(generate_keys(), std::min<std::size_t>(distinct, 64), "");
            break;
        case JunkKind::replay: {
            pool = make_packets(keys_, 1, "");
            knock_one_at_a_time(name(), pool, kPort, stamp_file());
            break;
        }
        case JunkKind::stale:
            pool = make_packets(keys_, distinct, "--time-offset-minus 1h");
            break;
    }
    return pool;
}

}  // namespace ruroco::bench
