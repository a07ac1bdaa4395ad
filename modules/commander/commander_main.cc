// ruroco-commander: `ruroco-commander [-c FILE] [--check]`. With --check it validates
// server.ini and commands.ini and lists every problem; otherwise it runs on its own
// (separate-services mode): root only, one instance per socket, listening on config.socket.
#include "modules/commander/commander_main.h"

#include <grp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "modules/commander/commander_loop.h"
#include "modules/commander/commander_socket.h"
#include "modules/commander/commands_config.h"
#include "modules/commander/pending_cli.h"
#include "modules/common/daemon_options.h"
#include "modules/common/log.h"
#include "modules/common/server_config.h"

namespace ruroco {

namespace {

constexpr const char* kAllowNonRootEnv = "RUROCO_COMMANDER_ALLOW_NONROOT";

// The socket's group, resolved while NSS works; an unknown group is a configuration error.
Result<std::optional<gid_t>> resolve_socket_group(const ServerConfig& config) {
    if (config.socket_group.empty()) return std::optional<gid_t>{};
    errno = 0;
    group* entry = getgrnam(config.socket_group.c_str());
    if (entry == nullptr) {
        return make_error(config.path + ": socket_group = " + config.socket_group + ": no such group");
    }
    return std::optional<gid_t>{entry->gr_gid};
}

std::vector<std::string> all_problems(const ServerConfig& config) {
    std::vector<std::string> problems = config.problems;
    Result<std::optional<gid_t>> group = resolve_socket_group(config);
    if (!group) problems.push_back(group.error());
    CommandsConfig commands = load_commands_config(config.commands);
    problems.insert(problems.end(), commands.problems.begin(), commands.problems.end());
    return problems;
}

int check(const ServerConfig& config) {
    std::vector<std::string> problems = all_problems(config);
    for (const std::string& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
    if (!problems.empty()) return 2;
    std::printf("ok\n");
    return 0;
}

bool non_root_allowed() {
    const char* value = std::getenv(kAllowNonRootEnv);
    return value != nullptr && std::strcmp(value, "1") == 0;
}

int serve(const ServerConfig& config) {
    if (!config.problems.empty()) {
        for (const std::string& problem : config.problems) std::fprintf(stderr, "%s\n", problem.c_str());
        return 2;
    }
    // Before commands.ini, which a non-root user usually cannot even read.
    if (geteuid() != 0 && !non_root_allowed()) {
        std::fprintf(stderr,
                     "ruroco-commander: must run as root (it runs the commands as root); "
                     "use --check to validate the configuration\n");
        return 1;
    }
    std::vector<std::string> problems = all_problems(config);
    if (!problems.empty()) {
        for (const std::string& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
        return 2;
    }
    std::optional<gid_t> group = *resolve_socket_group(config);

    Result<int> lock = take_instance_lock(config.socket);
    if (!lock) {
        std::fprintf(stderr, "ruroco-commander: %s\n", lock.error().c_str());
        return 1;
    }
    Result<int> journal_lock = lock_journal(config.journal_dir);
    if (!journal_lock) {
        std::fprintf(stderr, "ruroco-commander: %s\n", journal_lock.error().c_str());
        return 1;
    }
    Result<std::unique_ptr<CommanderLoop>> loop = CommanderLoop::create(config);
    if (!loop) {
        std::fprintf(stderr, "%s\n", loop.error().c_str());
        return 2;
    }
    Result<int> listen_fd = bind_commander_socket(config.socket, group);
    if (!listen_fd) {
        std::fprintf(stderr, "ruroco-commander: %s\n", listen_fd.error().c_str());
        return 1;
    }
    (*loop)->add_listen_fd(*listen_fd);
    log_info("ruroco-commander: listening on %s", config.socket.c_str());
    int rc = (*loop)->run();
    // Still holding the lock: the socket file is ours to remove.
    unlink(config.socket.c_str());
    return rc;
}

}  // namespace

int commander_main(int argc, char** argv) {
    int exit_code = 0;
    std::optional<DaemonOptions> options = parse_daemon_options(
        "ruroco-commander", "Runs the configured commands for the server's messages.", argc, argv, exit_code);
    if (!options) return exit_code;
    ServerConfig config = load_server_config(options->config_path);
    if (options->check) return check(config);
    if (options->pending || options->run_pending_now) {
        if (!config.problems.empty()) return check(config);
        return options->pending ? print_pending(config) : run_pending_now(config);
    }
    return serve(config);
}

}  // namespace ruroco
