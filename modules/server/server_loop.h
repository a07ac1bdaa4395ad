// The network-facing loop: drain the UDP socket in batches through the pipeline, hand each
// accepted packet to the commander, summarise drops, and handle signals (SIGTERM/SIGINT stop,
// SIGHUP reloads keys where this process may read them, SIGUSR1 logs every counter).
#pragma once

#include <functional>
#include <optional>

#include "modules/server/commander_link.h"
#include "modules/server/pipeline.h"
#include "wire/keyring.h"

namespace ruroco {

struct ServerLoopSetup {
    int udp_fd = -1;
    Pipeline* pipeline = nullptr;
    CommanderLink* link = nullptr;
    // Empty: SIGHUP is not this process's business (the privilege-separated child, whose
    // parent restarts it with fresh keys). Returns no value when the new keys are invalid.
    std::function<std::optional<wire::KeyRing>()> reload_keys;
};

// Returns 0 after SIGTERM/SIGINT, 1 when the socket or the commander link fails for good.
int run_server_loop(ServerLoopSetup& setup);

}  // namespace ruroco
