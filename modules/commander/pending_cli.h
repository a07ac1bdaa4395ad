// Operator access to pending stops, for ruroco-commander and (privilege-separated) ruroco-server:
// `--pending` lists them; `--run-pending-now` runs them all at once, through the running
// commander when there is one (SIGUSR2 to the pid it records), else in this process.
#pragma once

#include "modules/common/server_config.h"
#include "wire/result.h"

namespace ruroco {

// Held by the running commander for its whole life: one commander per journal. Records the
// pid beside it for --run-pending-now. Returns the lock's fd.
Result<int> lock_journal(const std::string& journal_dir);

int print_pending(const ServerConfig& config);
int run_pending_now(const ServerConfig& config);

}  // namespace ruroco
