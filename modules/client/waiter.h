// `--wait tcp:PORT[@HOST]`: the server never answers, so the client learns that the command
// took effect by polling a TCP connect to the port it was meant to open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "wire/result.h"

namespace ruroco {

struct WaitTarget {
    std::uint16_t port = 0;
    std::optional<std::string> host;  // default: the host the knock went to
};

Result<WaitTarget> parse_wait_target(const std::string& text);
// True once a TCP connect to host:port succeeds, false when timeout_s passes first.
bool wait_for_tcp(const std::string& host, std::uint16_t port, int family, std::uint32_t timeout_s);

}  // namespace ruroco
