// ruroco-client: subcommand dispatch (gen, send, reseed, hash), one table like the roles'.
#include "modules/client/client_main.h"

#include <cstdio>
#include <cstring>
#include <cxxopts.hpp>
#include <string>

#include "modules/client/counter_store.h"
#include "modules/client/paths.h"
#include "modules/client/send_command.h"
#include "modules/common/atomic_file.h"
#include "modules/common/key_file.h"
#include "wire/decimal.h"
#include "wire/hash.h"

namespace ruroco {

namespace {

int fail(int code, const std::string& message) {
    std::fprintf(stderr, "ruroco-client: %s\n", message.c_str());
    return code;
}

// Parses a subcommand's options; on a bad option prints one line and sets exit_code 2.
bool parse_options(cxxopts::Options& spec, int argc, char** argv, cxxopts::ParseResult& out, int& exit_code) {
    try {
        out = spec.parse(argc, argv);
        if (out.count("help") != 0) {
            std::fputs(spec.help().c_str(), stdout);
            exit_code = 0;
            return false;
        }
        if (!out.unmatched().empty()) {
            exit_code = fail(2, "unexpected argument '" + out.unmatched()[0] + "'");
            return false;
        }
        return true;
    } catch (const cxxopts::exceptions::exception& e) {
        exit_code = fail(2, e.what());
        return false;
    }
}

int gen_command(int argc, char** argv) {
    cxxopts::Options spec("ruroco-client gen", "Writes a new key file (0600); never overwrites.");
    spec.add_options()("o,output", "key file to write", cxxopts::value<std::string>())("h,help", "this help");
    cxxopts::ParseResult o;
    int code = 0;
    if (!parse_options(spec, argc, argv, o, code)) return code;
    Result<wire::Key> key = wire::Key::generate();
    if (!key) return fail(1, key.error());
    std::string path;
    if (o.count("output") != 0) {
        path = o["output"].as<std::string>();
    } else {
        std::string dir = client_config_dir();
        Status made = make_directories(dir, 0700);
        if (!made) return fail(1, made.error());
        path = dir + "/" + key->id_hex() + ".key";
    }
    Status written = write_new_key_file(path, *key);
    if (!written) return fail(2, written.error());
    std::printf("%s %s\n", key->id_hex().c_str(), path.c_str());
    return 0;
}

int reseed_command(int argc, char** argv) {
    cxxopts::Options spec("ruroco-client reseed", "Resets a key's counter to now.");
    spec.add_options()("k,key", "key file", cxxopts::value<std::string>())("h,help", "this help");
    cxxopts::ParseResult o;
    int code = 0;
    if (!parse_options(spec, argc, argv, o, code)) return code;
    if (o.count("key") == 0) return fail(2, "reseed needs -k KEY_FILE");
    Result<wire::Key> key = load_key_file(o["key"].as<std::string>());
    if (!key) return fail(2, key.error());
    Result<wire::u128> counter = CounterStore(client_state_dir()).reset(key->id(), now_ns());
    if (!counter) return fail(1, counter.error());
    std::printf("%s %s\n", key->id_hex().c_str(), wire::u128_to_string(*counter).c_str());
    return 0;
}

int hash_command(int argc, char** argv) {
    const char* usage = "usage: ruroco-client hash NAME";
    if (argc == 2 && (std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0)) {
        std::printf("%s\n", usage);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-' || argv[1][0] == '\0') return fail(2, usage);
    std::printf("%s\n", wire::hash_to_hex(wire::command_hash(argv[1])).c_str());
    return 0;
}

struct Subcommand {
    const char* name;
    int (*run)(int argc, char** argv);
    const char* usage;
};

constexpr Subcommand kSubcommands[] = {
    {"gen", gen_command, "gen [-o FILE]                 write a new key file (0600); prints the key id"},
    {"send", send_command,
     "send [SERVER] [-a HOST[:PORT]] [-k KEY_FILE] [-c COMMAND] [-i IP] [-e|--permissive]\n"
     "       [-4|-6] [--wait tcp:PORT[@HOST]] [--wait-timeout SECONDS] [-q|--quiet] [--config FILE]"},
    {"reseed", reseed_command, "reseed -k KEY_FILE            reset that key's counter to now"},
    {"hash", hash_command, "hash NAME                     print a command name's 16-hex-digit hash"},
};

void print_usage(std::FILE* out) {
    std::fprintf(out, "usage:\n");
    for (const Subcommand& s : kSubcommands) std::fprintf(out, "  ruroco-client %s\n", s.usage);
}

}  // namespace

int client_main(int argc, char** argv) {
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    std::string name = argv[1];
    if (name == "-h" || name == "--help") {
        print_usage(stdout);
        return 0;
    }
    for (const Subcommand& s : kSubcommands) {
        if (name == s.name) return s.run(argc - 1, argv + 1);
    }
    std::fprintf(stderr, "ruroco-client: unknown subcommand '%s'\n", name.c_str());
    print_usage(stderr);
    return 2;
}

}  // namespace ruroco
