// Fuzzes every text format read from disk: the INI reader, server.ini, commands.ini,
// client.ini (profiles) and the commander's pending-stop journal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "modules/client/profiles.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/stop_journal.h"
#include "modules/common/ini_file.h"
#include "modules/common/server_config.h"
#include "wire/key.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool initialised = ruroco::wire::crypto_init();
    if (!initialised) std::abort();
    const std::string text(reinterpret_cast<const char*>(data), size);
    ruroco::read_ini_text("fuzz.ini", text);
    ruroco::parse_server_config_text("fuzz-server.ini", text);
    ruroco::parse_commands_text("fuzz-commands.ini", text);
    ruroco::parse_profiles_text("fuzz-client.ini", text);
    std::vector<std::string> problems;
    ruroco::parse_journal("fuzz-pending-stops", text, problems);
    return 0;
}
