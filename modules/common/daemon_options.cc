// Daemon command lines: see daemon_options.h.
#include "modules/common/daemon_options.h"

#include <cstdio>
#include <cxxopts.hpp>

#include "modules/common/server_config.h"

namespace ruroco {

std::optional<DaemonOptions> parse_daemon_options(const char* role, const char* description, int argc,
                                                  char** argv, int& exit_code) {
    cxxopts::Options spec(role, description);
    spec.add_options()("c,config", "server.ini to read", cxxopts::value<std::string>())(
        "check", "validate the configuration, print every problem")(
        "pending", "list the pending stops: command, IP, due time")(
        "run-pending-now", "run every pending stop now")("h,help", "this help");
    try {
        cxxopts::ParseResult parsed = spec.parse(argc, argv);
        if (!parsed.unmatched().empty()) {
            std::fprintf(stderr, "%s: unexpected argument '%s'\n", role, parsed.unmatched()[0].c_str());
            exit_code = 2;
            return std::nullopt;
        }
        if (parsed.count("help") != 0) {
            std::fputs(spec.help().c_str(), stdout);
            exit_code = 0;
            return std::nullopt;
        }
        DaemonOptions options{kDefaultServerConfigPath, parsed.count("check") != 0, parsed.count("pending") != 0,
                              parsed.count("run-pending-now") != 0};
        if (options.check + options.pending + options.run_pending_now > 1) {
            std::fprintf(stderr, "%s: --check, --pending and --run-pending-now exclude each other\n", role);
            exit_code = 2;
            return std::nullopt;
        }
        if (parsed.count("config") != 0) options.config_path = parsed["config"].as<std::string>();
        return options;
    } catch (const cxxopts::exceptions::exception& e) {
        std::fprintf(stderr, "%s: %s (usage: %s [-c FILE] [--check])\n", role, e.what(), role);
        exit_code = 2;
        return std::nullopt;
    }
}

}  // namespace ruroco
