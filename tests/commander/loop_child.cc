// Test helper: see loop_child.h.
#include "tests/commander/loop_child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "modules/commander/commander_loop.h"
#include "modules/common/log.h"
#include "tests/support/process.h"
#include "wire/commander_message.h"
#include "wire/hash.h"

namespace ruroco::test {

LoopChild::LoopChild(const ServerConfig& config, const std::string& log_path,
                     std::function<void(CommanderLoop&)> setup)
    : log_path_(log_path) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        throw std::runtime_error("socketpair failed");
    }
    std::fflush(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        close(pair[0]);
        int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log < 0) _exit(126);
        dup2(log, STDERR_FILENO);
        close(log);
        log_detect_journal();
        Result<std::unique_ptr<CommanderLoop>> loop = CommanderLoop::create(config);
        if (!loop) {
            std::fprintf(stderr, "create failed: %s\n", loop.error().c_str());
            _exit(3);
        }
        (*loop)->add_message_fd(pair[1], [] { log_info("TEST: on_closed called"); });
        if (setup) setup(**loop);
        log_info("TEST: loop ready");
        int rc = (*loop)->run();
        _exit(rc);
    }
    close(pair[1]);
    fd_ = pair[0];
    // From here on the loop's signals are blocked and queue for its signalfd.
    if (!wait_for_log("TEST: loop ready")) throw std::runtime_error("the loop did not start: " + log());
}

LoopChild::~LoopChild() {
    if (pid_ > 0) stop();
    if (fd_ >= 0) close(fd_);
}

void LoopChild::send(const std::vector<std::uint8_t>& message) const {
    ssize_t n = ::send(fd_, message.data(), message.size(), MSG_NOSIGNAL);
    if (n != static_cast<ssize_t>(message.size())) throw std::runtime_error("send to the loop failed");
}

void LoopChild::send_command(const std::string& name, const std::string& ip) const {
    Result<wire::Ip> parsed = wire::Ip::parse(ip);
    if (!parsed) throw std::runtime_error("bad test IP " + ip);
    wire::CommanderMessageBytes bytes = wire::encode_commander_message({wire::command_hash(name), *parsed});
    send(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

std::string LoopChild::log() const { return read_text(log_path_); }

bool LoopChild::log_contains(const std::string& text) const { return log().find(text) != std::string::npos; }

bool LoopChild::wait_for_log(const std::string& text, int timeout_ms) const {
    return wait_until([&] { return log_contains(text); }, timeout_ms);
}

int LoopChild::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

ServerConfig commander_config(const std::string& commands_path, const std::string& extra) {
    ServerConfig config =
        parse_server_config_text("server.ini", "[commander]\ncommands = " + commands_path + "\njournal_dir = " +
                                                   commands_path + ".journal\n" + extra);
    if (!config.problems.empty()) throw std::runtime_error("bad test config: " + config.problems[0]);
    return config;
}

bool process_gone(pid_t pid) {
    if (kill(pid, 0) != 0) return errno == ESRCH;
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
    std::size_t close_paren = stat.rfind(')');
    if (close_paren == std::string::npos || close_paren + 2 >= stat.size()) return true;
    return stat[close_paren + 2] == 'Z' || stat[close_paren + 2] == 'X';
}

}  // namespace ruroco::test
