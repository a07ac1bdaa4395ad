// Sends one knock to every resolved address of a server: one sealed datagram per address, all
// with the same counter and each naming its own dst_ip (PROTOCOL.md 5), so the first copy to
// arrive runs the command and the others are dropped as replays.
#pragma once

#include <string>
#include <vector>

#include "modules/client/resolve.h"
#include "wire/key.h"
#include "wire/packet.h"

namespace ruroco {

struct SendOutcome {
    std::string address;  // as ResolvedAddress::text
    int error = 0;        // errno of the failed socket() or sendto(); 0 = the datagram left
};

// data.dst_ip is overwritten per address; everything else is sent as given.
std::vector<SendOutcome> send_knock(const wire::Key& key, wire::ClientData data,
                                    const std::vector<ResolvedAddress>& addresses);

}  // namespace ruroco
