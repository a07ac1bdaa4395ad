// Client name resolution: see resolve.h.
#include "modules/client/resolve.h"

#include <netdb.h>
#include <netinet/in.h>

#include <cstring>

#include "wire/ip.h"

namespace ruroco {

Result<std::vector<ResolvedAddress>> resolve_host(const std::string& host, std::uint16_t port, int family,
                                                  int socktype) {
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (rc != 0) return make_error("cannot resolve '" + host + "': " + gai_strerror(rc));
    std::vector<ResolvedAddress> out;
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
        if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
        ResolvedAddress r;
        std::memcpy(&r.addr, a->ai_addr, a->ai_addrlen);
        r.length = a->ai_addrlen;
        wire::Ip ip = wire::Ip::from_sockaddr(a->ai_addr);
        r.text = (ip.is_v4() ? ip.to_string() : "[" + ip.to_string() + "]") + ":" + service;
        bool duplicate = false;
        for (const ResolvedAddress& seen : out) duplicate = duplicate || seen.text == r.text;
        if (!duplicate) out.push_back(r);
    }
    freeaddrinfo(list);
    if (out.empty()) return make_error("'" + host + "' has no address of the requested family");
    return out;
}

}  // namespace ruroco
