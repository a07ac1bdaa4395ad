// The command line both daemon roles share: `-c/--config FILE`, `--check`, and the operator's
// view of pending stops, `--pending` and `--run-pending-now`.
#pragma once

#include <optional>
#include <string>

namespace ruroco {

struct DaemonOptions {
    std::string config_path;
    bool check = false;
    bool pending = false;
    bool run_pending_now = false;
};

// No value: exit with exit_code (0 after --help, 2 after one line about a bad option).
std::optional<DaemonOptions> parse_daemon_options(const char* role, const char* description, int argc,
                                                  char** argv, int& exit_code);

}  // namespace ruroco
