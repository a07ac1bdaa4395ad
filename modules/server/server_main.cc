// ruroco-server: `ruroco-server [-c FILE] [--check]`. As root: privilege-separated mode (one
// service, see privsep.h). As any other user: separate-services mode, sending its messages
// to ruroco-commander's Unix socket.
#include "modules/server/server_main.h"

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "modules/commander/commands_config.h"
#include "modules/commander/pending_cli.h"
#include "modules/common/daemon_options.h"
#include "modules/common/log.h"
#include "modules/common/privilege_drop.h"
#include "modules/common/server_config.h"
#include "modules/server/commander_link.h"
#include "modules/server/keys.h"
#include "modules/server/pipeline.h"
#include "modules/server/privsep.h"
#include "modules/server/server_loop.h"
#include "modules/server/state_dir.h"
#include "modules/server/udp_socket.h"

namespace ruroco {

namespace {

int print_problems(const std::vector<std::string>& problems) {
    for (const std::string& problem : problems) std::fprintf(stderr, "%s\n", problem.c_str());
    return problems.empty() ? 0 : 2;
}

// Everything this role would load, all problems at once (like sshd -t).
int check(const ServerConfig& config) {
    std::vector<std::string> problems = config.problems;
    load_keys(config.key_dir, problems);
    std::string state_problem = state_dir_problem(config);
    if (!state_problem.empty()) problems.push_back(state_problem);
    if (geteuid() == 0) {  // privilege-separated: the user, the chroot and the commands too
        Result<DropTarget> target = resolve_drop_target(config.user, config.chroot);
        if (!target) problems.push_back(config.path + ": " + target.error());
        CommandsConfig commands = load_commands_config(config.commands);
        problems.insert(problems.end(), commands.problems.begin(), commands.problems.end());
    }
    if (print_problems(problems) != 0) return 2;
    std::printf("ok\n");
    return 0;
}

std::optional<wire::KeyRing> reload_keys(const std::string& key_dir) {
    std::vector<std::string> problems;
    wire::KeyRing keys = load_keys(key_dir, problems);
    for (const std::string& problem : problems) log_error("%s", problem.c_str());
    if (!problems.empty()) return std::nullopt;
    return keys;
}

int run_separate_services(const ServerConfig& config) {
    std::vector<std::string> problems;
    wire::KeyRing keys = load_keys(config.key_dir, problems);
    if (print_problems(problems) != 0) return 2;
    Result<StateDir> state = open_state_dir(config, std::nullopt);
    if (!state) return std::fprintf(stderr, "ruroco-server: %s\n", state.error().c_str()), 1;
    Result<ReplayState> replay = ReplayState::load(state->fd, config.state_dir);
    if (!replay) return std::fprintf(stderr, "ruroco-server: %s\n", replay.error().c_str()), 1;
    int udp_fd = socket_from_activation();
    if (udp_fd < 0) {
        Result<int> opened = open_udp_socket(config);
        if (!opened) return std::fprintf(stderr, "ruroco-server: %s\n", opened.error().c_str()), 1;
        udp_fd = *opened;
    }
    Pipeline pipeline(config, std::move(keys), std::move(*replay));
    CommanderLink link = CommanderLink::to_path(config.socket);
    ServerLoopSetup setup{udp_fd, &pipeline, &link, [&config] { return reload_keys(config.key_dir); }};
    log_info("ruroco-server: separate-services mode, %zu keys, commander at %s", pipeline.key_count(),
             config.socket.c_str());
    return run_server_loop(setup);
}

}  // namespace

int server_main(int argc, char** argv) {
    int exit_code = 0;
    std::optional<DaemonOptions> options = parse_daemon_options(
        "ruroco-server", "Receives knocks; as root, also runs the commander.", argc, argv, exit_code);
    if (!options) return exit_code;
    ServerConfig config = load_server_config(options->config_path);
    if (options->check) return check(config);
    if (print_problems(config.problems) != 0) return 2;
    if (options->pending) return print_pending(config);
    if (options->run_pending_now) return run_pending_now(config);
    if (geteuid() == 0) return run_privilege_separated(config);
    return run_separate_services(config);
}

}  // namespace ruroco
