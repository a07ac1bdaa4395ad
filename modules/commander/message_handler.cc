// Message validation and dispatch: see message_handler.h.
#include "modules/commander/message_handler.h"

#include <algorithm>

#include "modules/common/log.h"
#include "wire/commander_message.h"
#include "wire/hash.h"

namespace ruroco {

MessageOutcome handle_message(const std::uint8_t* data, std::size_t size, const CommandTable& commands,
                              const ServerConfig& config, CommandRunner& runner, StopScheduler* stops) {
    if (size != wire::kCommanderMessageSize) {
        log_error("commander message of %zu bytes, expected %zu: the sender is broken or compromised", size,
                  wire::kCommanderMessageSize);
        return MessageOutcome::bad_size;
    }
    Result<wire::CommanderMessage> message = wire::decode_commander_message(data, size);
    if (!message) {
        log_warning("commander message ignored: %s", message.error().c_str());
        return MessageOutcome::zero_ip;
    }
    std::string ip = message->ip.to_string();
    auto it = commands.find(message->cmd_hash);
    if (it == commands.end()) {
        log_warning("unknown command hash %s from %s; ignored", wire::hash_to_hex(message->cmd_hash).c_str(),
                    ip.c_str());
        return MessageOutcome::unknown_hash;
    }
    const CommandSpec& spec = it->second;
    bool allowed = std::any_of(config.allow_from.begin(), config.allow_from.end(),
                               [&](const Cidr& range) { return range.contains(message->ip); });
    if (!allowed) {
        log_warning("command %s for %s refused: the IP is outside allow_from", spec.name.c_str(), ip.c_str());
        return MessageOutcome::not_allowed;
    }
    if (runner.running() >= config.max_running) {
        log_warning("command %s for %s dropped: %zu commands already running (max_running %u)",
                    spec.name.c_str(), ip.c_str(), runner.running(), config.max_running);
        return MessageOutcome::too_many_running;
    }
    if (!spec.stop.empty()) {
        // The stop is journaled before the start runs: a crash right after the start still
        // leaves the commander owing the stop.
        StopScheduler::KnockAction action =
            stops != nullptr ? stops->on_knock(spec, message->ip) : StopScheduler::KnockAction::refused;
        if (action == StopScheduler::KnockAction::refused) return MessageOutcome::journal_failed;
        if (action == StopScheduler::KnockAction::extended) return MessageOutcome::extended;
    }
    Result<pid_t> pid = runner.start(spec, message->ip);
    if (!pid) {
        log_error("command %s for %s not started: %s", spec.name.c_str(), ip.c_str(), pid.error().c_str());
        return MessageOutcome::start_failed;
    }
    return MessageOutcome::started;
}

}  // namespace ruroco
