// Privilege-separated mode (BEHAVIOUR.md): a root ruroco-server forks a network child that
// loads the keys, drops every privilege and reads datagrams; the parent stays root, becomes
// the commander, never loads a key nor reads the network, and restarts a dead child.
#pragma once

#include "modules/common/server_config.h"

namespace ruroco {

int run_privilege_separated(const ServerConfig& config);

}  // namespace ruroco
