// The 24-byte message from the server to the commander (PROTOCOL.md 6): command hash and IP.
// The commander treats it as hostile: exact size, non-zero IP, then the hash is looked up.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wire/ip.h"
#include "wire/result.h"
#include "wire/sizes.h"

namespace ruroco::wire {

using CommanderMessageBytes = std::array<std::uint8_t, kCommanderMessageSize>;

struct CommanderMessage {
    std::uint64_t cmd_hash = 0;
    Ip ip;
};

CommanderMessageBytes encode_commander_message(const CommanderMessage& message);
// Rejects any size but 24 and an all-zero IP, with the reason.
Result<CommanderMessage> decode_commander_message(const std::uint8_t* data, std::size_t size);

}  // namespace ruroco::wire
