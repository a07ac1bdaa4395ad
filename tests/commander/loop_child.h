// Runs a CommanderLoop in a forked child (its signalfd then blocks signals only there) with
// one end of a SOCK_SEQPACKET socketpair as its message fd; the test feeds the other end.
// The child's stderr, i.e. the commander's log, goes to a file the test can read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "modules/common/server_config.h"

namespace ruroco {
class CommanderLoop;
}

namespace ruroco::test {

class LoopChild {
  public:
    // setup runs in the child after create(), before run(), for extra registrations.
    LoopChild(const ServerConfig& config, const std::string& log_path,
              std::function<void(CommanderLoop&)> setup = nullptr);
    ~LoopChild();
    LoopChild(const LoopChild&) = delete;
    LoopChild& operator=(const LoopChild&) = delete;

    void send(const std::vector<std::uint8_t>& message) const;
    void send_command(const std::string& name, const std::string& ip) const;
    std::string log() const;
    bool log_contains(const std::string& text) const;
    bool wait_for_log(const std::string& text, int timeout_ms = 5000) const;
    // SIGTERM, then the loop's exit code (-1 if it died of a signal).
    int stop();
    pid_t pid() const { return pid_; }
    int fd() const { return fd_; }

  private:
    pid_t pid_ = -1;
    int fd_ = -1;
    std::string log_path_;
};

// The text of a [commander] section plus commands = path.
ServerConfig commander_config(const std::string& commands_path, const std::string& extra = "");

// Gone or a zombie: either way no longer running (orphans may wait for a reaper).
bool process_gone(pid_t pid);

}  // namespace ruroco::test
