// The ruroco multi-call binary: the role table and dispatch, nothing else (busybox-style).
// The role comes from the name it was started under, or else from the first argument.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "modules/client/client_main.h"
#include "modules/commander/commander_main.h"
#include "modules/server/server_main.h"
#include "wire/key.h"

#ifndef RUROCO_VERSION
#define RUROCO_VERSION "unknown"
#endif

namespace {

struct Role {
    const char* name;
    int (*main)(int argc, char** argv);
    const char* help;
};

constexpr Role kRoles[] = {
    {"ruroco-client", ruroco::client_main, "make keys and send knocks"},
    {"ruroco-server", ruroco::server_main, "receive knocks (network-facing, drops privileges)"},
    {"ruroco-commander", ruroco::commander_main, "run the configured commands (root, no network)"},
};

const Role* find_role(std::string_view name) {
    for (const Role& role : kRoles) {
        std::string_view full = role.name;
        if (name == full || name == full.substr(sizeof("ruroco-") - 1)) return &role;
    }
    return nullptr;
}

int usage() {
    std::fprintf(stderr,
                 "usage: ruroco ROLE [ARGS...]  (or start it as ruroco-ROLE)\n"
                 "       ruroco --list | --version\n"
                 "roles:\n");
    for (const Role& role : kRoles) std::fprintf(stderr, "  %-18s %s\n", role.name, role.help);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (!ruroco::wire::crypto_init()) {
        std::fprintf(stderr, "ruroco: libsodium failed to initialise\n");
        return 1;
    }
    const char* invoked = argc > 0 ? argv[0] : "ruroco";
    const char* slash = std::strrchr(invoked, '/');
    std::string_view base = slash ? slash + 1 : invoked;

    if (base != "ruroco") {
        if (const Role* role = find_role(base)) return role->main(argc, argv);
    }
    if (argc < 2) return usage();
    std::string_view first = argv[1];
    if (first == "--list") {
        for (const Role& role : kRoles) std::printf("%s\n", role.name);
        return 0;
    }
    if (first == "--version") {
        std::printf("ruroco %s\n", RUROCO_VERSION);
        return 0;
    }
    if (first == "--help" || first == "-h") {
        usage();
        return 0;
    }
    const Role* role = find_role(first);
    if (role == nullptr) {
        std::fprintf(stderr, "ruroco: unknown role '%s'\n", argv[1]);
        return usage();
    }
    // The role sees its own name as argv[0], exactly as when started through the symlink.
    argv[1] = const_cast<char*>(role->name);
    return role->main(argc - 1, argv + 1);
}
