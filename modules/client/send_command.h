// `ruroco-client send`: options and profile merged into one request, everything validated
// (address, key, IP, wait target) before the counter is touched or a byte is sent.
#pragma once

namespace ruroco {

int send_command(int argc, char** argv);

}  // namespace ruroco
