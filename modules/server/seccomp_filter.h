// The network child's system-call allow-list (libseccomp), installed after the privilege drop
// and before the first datagram is read: only what the receive loop needs; anything else kills
// the process (SIGSYS), and the parent logs that and starts a new child.
#pragma once

#include "wire/result.h"

namespace ruroco {

Status install_network_child_filter();

}  // namespace ruroco
