// The commander's event loop: reads 24-byte messages from the server (a socketpair end or
// accepted connections on a Unix socket), validates each one and runs the configured command,
// reaps children, enforces timeouts and reloads commands.ini on SIGHUP. One thread, poll(2),
// signals through a signalfd.
//
// SIGTERM, SIGINT, SIGHUP and SIGCHLD are blocked in the process that owns the loop (from
// create() on). A process forked from the loop must restore the signal mask (and reset
// handlers) before doing anything else; the command runner does so for every command.
// Destroying the loop closes every fd it owns and restores the signal mask create() found;
// commands still running are left to finish in their own process groups.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>

#include "modules/common/server_config.h"
#include "wire/result.h"

namespace ruroco {

class CommanderLoopImpl;

class CommanderLoop {
  public:
    // Loads config.commands (commands.ini); problems -> error listing them.
    static Result<std::unique_ptr<CommanderLoop>> create(const ServerConfig& config);
    ~CommanderLoop();
    CommanderLoop(const CommanderLoop&) = delete;
    CommanderLoop& operator=(const CommanderLoop&) = delete;

    // A connected SOCK_SEQPACKET fd that delivers 24-byte messages; the loop owns and closes it.
    // on_closed runs once after EOF, a read error, or a message that is not exactly 24 bytes
    // (logged loudly: the sender is broken or compromised) -- the fd is closed first.
    void add_message_fd(int fd, std::function<void()> on_closed);
    // A listening SOCK_SEQPACKET Unix socket (separate-services mode); each accepted
    // connection becomes a message fd (with an on_closed that just forgets it).
    void add_listen_fd(int fd);
    // Runs fn once after delay (monotonic clock), from the loop.
    void call_after(std::chrono::milliseconds delay, std::function<void()> fn);
    // The loop reaps every child process; for a pid registered here it calls
    // on_exit(wait status) instead of treating it as a finished command.
    void watch_child(pid_t pid, std::function<void(int wait_status)> on_exit);
    // Until SIGTERM/SIGINT (returns 0) or a fatal error (returns 1). SIGHUP reloads
    // commands.ini and keeps the old table if the new one has any problem (each logged).
    void on_sighup(std::function<void()> extra);  // called after the commands reload
    int run();

  private:
    explicit CommanderLoop(std::unique_ptr<CommanderLoopImpl> impl);
    std::unique_ptr<CommanderLoopImpl> impl_;
};

}  // namespace ruroco
