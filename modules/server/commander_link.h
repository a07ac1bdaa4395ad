// The server's side of step 11: one 24-byte message per accepted packet, on a SOCK_SEQPACKET
// socket. Either a socketpair end (privilege-separated mode) or a Unix socket path
// (separate-services mode), reconnected when the commander restarts. Never blocks the loop.
#pragma once

#include <string>

#include "wire/commander_message.h"
#include "wire/result.h"

namespace ruroco {

class CommanderLink {
  public:
    static CommanderLink connected(int fd);
    static CommanderLink to_path(std::string path);
    CommanderLink(CommanderLink&& other) noexcept;
    CommanderLink(const CommanderLink&) = delete;
    ~CommanderLink();

    Status send(const wire::CommanderMessage& message);
    int fd() const { return fd_; }
    // A socketpair end cannot be replaced: when it hangs up the commander is gone.
    bool is_fixed() const { return path_.empty(); }
    // The commander hung up a path connection: forget it, reconnect on the next send.
    void forget_connection();

  private:
    CommanderLink(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    Status connect_path();

    int fd_ = -1;
    std::string path_;  // empty: a fixed, already connected fd
};

}  // namespace ruroco
