// Name resolution for the client: every address of a host, deduplicated, in resolver order.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wire/result.h"

namespace ruroco {

struct ResolvedAddress {
    sockaddr_storage addr{};
    socklen_t length = 0;
    std::string text;  // "1.2.3.4:34020" or "[::1]:34020"
};

// family: AF_UNSPEC, AF_INET or AF_INET6.
Result<std::vector<ResolvedAddress>> resolve_host(const std::string& host, std::uint16_t port, int family,
                                                  int socktype);

}  // namespace ruroco
