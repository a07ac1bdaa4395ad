// Commander message layout: see commander_message.h.
#include "wire/commander_message.h"

#include <cstring>
#include <string>

#include "wire/bytes.h"

namespace ruroco::wire {

CommanderMessageBytes encode_commander_message(const CommanderMessage& message) {
    CommanderMessageBytes bytes{};
    store_be64(bytes.data(), message.cmd_hash);
    std::memcpy(bytes.data() + 8, message.ip.bytes.data(), kIpSize);
    return bytes;
}

Result<CommanderMessage> decode_commander_message(const std::uint8_t* data, std::size_t size) {
    if (size != kCommanderMessageSize) {
        return make_error("commander message of " + std::to_string(size) + " bytes, expected " +
                          std::to_string(kCommanderMessageSize));
    }
    CommanderMessage message;
    message.cmd_hash = load_be64(data);
    std::memcpy(message.ip.bytes.data(), data + 8, kIpSize);
    if (message.ip.is_zero()) return make_error("commander message with an all-zero IP");
    return message;
}

}  // namespace ruroco::wire
