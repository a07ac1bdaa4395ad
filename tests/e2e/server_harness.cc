// The e2e server harness: see server_harness.h.
#include "tests/e2e/server_harness.h"

#include <arpa/inet.h>
#include <pwd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "modules/common/key_file.h"
#include "wire/hash.h"

namespace ruroco::test {

namespace {

std::uint16_t free_udp_port() {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

std::string proc_status_field(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return line.substr(field.size() + 1);
    }
    return "";
}

const char* kDefaultCommands =
    "[default]\n"
    "start = echo \"$RUROCO_IP\" >> @DIR@/ran.default\n"
    "[open_ssh]\n"
    "start = echo \"$RUROCO_IP\" >> @DIR@/ran.open_ssh\n";

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
    return text;
}

}  // namespace

std::string why_no_root() {
    if (geteuid() != 0) return "needs root: the server forks a child that chroots and drops to 'nobody'";
    if (getpwnam("nobody") == nullptr) return "needs the user 'nobody'";
    return "";
}

std::uint64_t now_ns() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

ServerHarness::ServerHarness(ServerOptions options)
    : key_(std::move(wire::Key::generate().value())), port_(free_udp_port()) {
    mkdir(dir_.file("keys").c_str(), 0700);
    mkdir(dir_.file("empty").c_str(), 0755);

    if (!write_new_key_file(dir_.file("keys/test.key"), key_)) throw std::runtime_error("cannot write key");
    std::string commands = options.commands_ini.empty() ? kDefaultCommands : options.commands_ini;
    write_text(dir_.file("commands.ini"), replace_all(commands, "@DIR@", dir_.path()), 0600);
    std::ostringstream ini;
    ini << "[server]\n"
        << "listen = " << options.listen_host << ":" << port_ << "\n"
        << "key_dir = " << dir_.file("keys") << "\n"
        << "state_dir = " << dir_.file("state") << "\n"
        << "chroot = " << dir_.file("empty") << "\n"
        << "user = nobody\n"
        << "rate_per_ip = " << options.rate_per_ip << "\n"
        << options.extra_server_ini << "[commander]\n"
        << "commands = " << dir_.file("commands.ini") << "\n"
        << "journal_dir = " << dir_.file("journal") << "\n";
    config_ = dir_.file("server.ini");
    socket_activation_ = options.socket_activation;
    write_text(config_, ini.str(), 0644);
}

ServerHarness::~ServerHarness() { stop(); }

void ServerHarness::start() {
    std::vector<std::string> argv = {ruroco_bin(), "server", "-c", config_};
    if (socket_activation_) {
        // It execs the server in its own process: LISTEN_PID names the server.
        argv.insert(argv.begin(), {"/usr/bin/systemd-socket-activate", "--datagram", "-l",
                                   "127.0.0.1:" + std::to_string(port_)});
    }
    parent_ = spawn(argv, dir_.file("server.out"), dir_.file("server.log"));
    if (socket_activation_) {
        // systemd-socket-activate starts the server on the first datagram, like systemd does.
        if (!wait_until([&] { return log().find("Listening on") != std::string::npos; }, 5000)) {
            throw std::runtime_error("systemd-socket-activate did not bind; log:\n" + log());
        }
        return;
    }
    bool dropped = wait_until(
        [&] {
            pid_t child = child_pid();
            return child != 0 && proc_status_field(child, "Uid").find("65534") != std::string::npos;
        },
        10000);
    if (!dropped) throw std::runtime_error("the server's network child never dropped to nobody; log:\n" + log());
}

pid_t ServerHarness::child_pid() {
    if (parent_ == 0) return 0;
    std::ifstream in("/proc/" + std::to_string(parent_) + "/task/" + std::to_string(parent_) + "/children");
    pid_t pid = 0;
    while (in >> pid) {
        // The network child runs as nobody; commands run as root.
        if (proc_status_field(pid, "Uid").find("65534") != std::string::npos) return pid;
    }
    return 0;
}

void ServerHarness::kill_all() {
    pid_t child = child_pid();
    if (parent_ != 0) kill(parent_, SIGKILL);
    if (child != 0) kill(child, SIGKILL);
    if (parent_ != 0) waitpid(parent_, nullptr, 0);
    parent_ = 0;
    wait_until([&] { return child == 0 || kill(child, 0) != 0; }, 5000);
}

void ServerHarness::stop() {
    if (parent_ == 0) return;
    kill(parent_, SIGTERM);
    bool gone = wait_until([&] { return waitpid(parent_, nullptr, WNOHANG) == parent_; }, 5000);
    if (!gone) {
        kill(parent_, SIGKILL);
        waitpid(parent_, nullptr, 0);
    }
    parent_ = 0;
}

std::string ServerHarness::log() const { return read_text(dir_.file("server.log")); }

wire::ClientData ServerHarness::packet_data(const std::string& command) const {
    wire::ClientData d;
    d.cmd_hash = wire::command_hash(command);
    d.counter = now_ns();
    d.strict = true;
    d.dst_ip = *wire::Ip::parse("127.0.0.1");
    return d;
}

void ServerHarness::send(const std::uint8_t* data, std::size_t size, const std::string& source_ip) const {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source_ip.c_str(), &from.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
        close(fd);
        throw std::runtime_error("cannot bind the test sender to " + source_ip);
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port_);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sendto(fd, data, size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    close(fd);
}

std::map<std::string, std::uint64_t> ServerHarness::counters() {
    std::string before = log();
    size_t seen = 0;
    for (size_t pos = before.find("counters:"); pos != std::string::npos; pos = before.find("counters:", pos + 1)) seen++;
    pid_t child = child_pid();
    if (child == 0) throw std::runtime_error("no network child to ask for counters");
    kill(child, SIGUSR1);
    std::string line;
    bool got = wait_until(
        [&] {
            std::string text = log();
            size_t count = 0, last = std::string::npos;
            for (size_t pos = text.find("counters:"); pos != std::string::npos; pos = text.find("counters:", pos + 1)) {
                count++;
                last = pos;
            }
            if (count <= seen) return false;
            size_t end = text.find('\n', last);
            if (end == std::string::npos) return false;
            line = text.substr(last + 9, end - last - 9);
            return true;
        },
        5000);
    if (!got) throw std::runtime_error("the server did not log its counters; log:\n" + log());
    std::map<std::string, std::uint64_t> result;
    std::istringstream in(line);
    std::string name, value;
    while (in >> name >> value) {
        if (!value.empty() && value.back() == ',') value.pop_back();
        result[name] = std::stoull(value);
    }
    return result;
}

std::vector<std::string> ServerHarness::wait_for_runs(const std::string& command, std::size_t expected,
                                                      int timeout_ms) const {
    std::string path = ran_file(command);
    wait_until([&] { return read_lines(path).size() >= expected; }, timeout_ms);
    return read_lines(path);
}

}  // namespace ruroco::test
