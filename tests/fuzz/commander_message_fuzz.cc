// Fuzzes what a (possibly compromised) server sends the commander: the 24-byte message decoder
// and the commander's handle_message. The command table is empty, so nothing is ever started.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "modules/commander/command_runner.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/message_handler.h"
#include "modules/common/server_config.h"
#include "wire/commander_message.h"
#include "wire/key.h"

namespace {

struct Fixture {
    ruroco::CommandTable commands;
    ruroco::ServerConfig config = ruroco::parse_server_config_text("fuzz-server.ini", "");
    ruroco::CommandRunner runner;
    Fixture() {
        if (!ruroco::wire::crypto_init() || !config.problems.empty()) std::abort();
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    ruroco::wire::decode_commander_message(data, size);
    ruroco::handle_message(data, size, f.commands, f.config, f.runner, nullptr);
    if (f.runner.running() != 0) std::abort();  // an empty table must never start anything
    return 0;
}
