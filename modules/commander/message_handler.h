// One 24-byte message from the server, treated as hostile (the sender may be compromised):
// exact size, non-zero IP, a known command hash, an IP inside allow_from, room under
// max_running; only then is the command started. Each refusal is logged and is not fatal.
#pragma once

#include <cstddef>
#include <cstdint>

#include "modules/commander/command_runner.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/stop_scheduler.h"
#include "modules/common/server_config.h"

namespace ruroco {

enum class MessageOutcome {
    started,
    extended,  // a stop was pending for this command and IP: its deadline moved, start not rerun
    bad_size,  // the caller must close the fd: the sender is broken or compromised
    zero_ip,
    unknown_hash,
    not_allowed,  // the IP is outside allow_from
    too_many_running,
    start_failed,
    journal_failed,  // the stop could not be journaled, so the start did not run
};

// stops may be null when no command has a stop (tests); commands with a stop then refuse.
MessageOutcome handle_message(const std::uint8_t* data, std::size_t size, const CommandTable& commands,
                              const ServerConfig& config, CommandRunner& runner, StopScheduler* stops);

}  // namespace ruroco
