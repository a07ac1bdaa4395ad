// `ruroco-client send`: see send_command.h. Exit codes: 0 sent (and, with --wait, the port
// opened), 1 nothing could be sent or the wait timed out, 2 bad usage or configuration.
#include "modules/client/send_command.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <cxxopts.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/client/counter_store.h"
#include "modules/client/paths.h"
#include "modules/client/profiles.h"
#include "modules/client/resolve.h"
#include "modules/client/sender.h"
#include "modules/client/waiter.h"
#include "modules/common/address.h"
#include "modules/common/key_file.h"
#include "wire/decimal.h"
#include "wire/hash.h"
#include "wire/packet.h"

namespace ruroco {

namespace {

struct SendRequest {
    std::optional<std::string> address;
    std::optional<std::string> key_file;
    std::string command = "default";
    std::optional<std::string> ip;
    bool permissive = false;
    int family = AF_UNSPEC;
    std::optional<std::string> wait;
    std::uint32_t wait_timeout = 10;
    bool quiet = false;
};

int usage_error(const std::string& message) {
    std::fprintf(stderr, "ruroco-client: %s\n", message.c_str());
    return 2;
}

// Fills the request from the profile first, so that options given on the command line win.
std::optional<std::string> apply_profile(SendRequest& r, const std::string& name, const std::string& path) {
    if (access(path.c_str(), F_OK) != 0) return "profile '" + name + "': " + path + " does not exist";
    ProfileFile file = load_profiles(path);
    if (!file.problems.empty()) return file.problems.front();
    for (const Profile& p : file.profiles) {
        if (p.name != name) continue;
        if (p.address) r.address = p.address;
        if (p.key_file) r.key_file = expand_home(*p.key_file);
        if (p.command) r.command = *p.command;
        if (p.ip) r.ip = p.ip;
        if (p.permissive) r.permissive = *p.permissive;
        if (p.family) r.family = *p.family == 4 ? AF_INET : AF_INET6;
        if (p.wait) r.wait = p.wait;
        if (p.wait_timeout) r.wait_timeout = *p.wait_timeout;
        return std::nullopt;
    }
    return "no profile [" + name + "] in " + path;
}

// Parses the command line into r; returns a message on bad usage.
std::optional<std::string> parse(int argc, char** argv, SendRequest& r, bool& help) {
    cxxopts::Options spec("ruroco-client send", "Sends one knock.");
    cxxopts::OptionAdder add = spec.add_options();
    add("a,address", "HOST[:PORT] of the server", cxxopts::value<std::string>());
    add("k,key", "key file", cxxopts::value<std::string>());
    add("c,command", "command name", cxxopts::value<std::string>());
    add("i,ip", "the IP to claim as the source", cxxopts::value<std::string>());
    add("e,permissive", "let the server run the command for the claimed IP, wherever the packet came from");
    add("4", "IPv4 only");
    add("6", "IPv6 only");
    add("wait", "tcp:PORT[@HOST] to poll after sending", cxxopts::value<std::string>());
    add("wait-timeout", "seconds to wait (1 to 3600, default 10)", cxxopts::value<std::string>());
    add("q,quiet", "print nothing on success");
    add("config", "profile file (default ~/.config/ruroco/client.ini)", cxxopts::value<std::string>());
    add("h,help", "this help");
    add("server", "profile name", cxxopts::value<std::vector<std::string>>());
    spec.parse_positional({"server"});
    spec.positional_help("[SERVER]");
    try {
        cxxopts::ParseResult o = spec.parse(argc, argv);
        if (o.count("help") != 0) {
            std::fputs(spec.help().c_str(), stdout);
            help = true;
            return std::nullopt;
        }
        // A repeated option is a mistake to point out, not a silent "last one wins".
        for (const char* name : {"address", "key", "command", "ip", "wait", "wait-timeout", "config"}) {
            if (o.count(name) > 1) return std::string("--") + name + " given more than once";
        }
        if (o.count("server") != 0) {
            std::vector<std::string> servers = o["server"].as<std::vector<std::string>>();
            if (servers.size() > 1) return "one SERVER at a time (got '" + servers[1] + "' too)";
            std::string path =
                o.count("config") != 0 ? o["config"].as<std::string>() : client_config_dir() + "/client.ini";
            if (auto problem = apply_profile(r, servers[0], path)) return problem;
        }
        if (o.count("address") != 0) r.address = o["address"].as<std::string>();
        if (o.count("key") != 0) r.key_file = o["key"].as<std::string>();
        if (o.count("command") != 0) r.command = o["command"].as<std::string>();
        if (o.count("ip") != 0) r.ip = o["ip"].as<std::string>();
        if (o.count("permissive") != 0) r.permissive = true;
        if (o.count("4") != 0 && o.count("6") != 0) return "-4 and -6 exclude each other";
        if (o.count("4") != 0) r.family = AF_INET;
        if (o.count("6") != 0) r.family = AF_INET6;
        if (o.count("wait") != 0) r.wait = o["wait"].as<std::string>();
        if (o.count("wait-timeout") != 0) {
            std::string text = o["wait-timeout"].as<std::string>();
            // The same bounds as wait_timeout in client.ini.
            if (text.empty() || text.size() > 4 ||
                text.find_first_not_of("0123456789") != std::string::npos || std::stoul(text) == 0 ||
                std::stoul(text) > 3600) {
                return "--wait-timeout '" + text + "': expected a whole number of seconds from 1 to 3600";
            }
            r.wait_timeout = static_cast<std::uint32_t>(std::stoul(text));
        }
        r.quiet = o.count("quiet") != 0;
    } catch (const cxxopts::exceptions::exception& e) {
        return std::string(e.what());
    }
    if (!r.address) return "no server address: give -a HOST[:PORT] or a profile name";
    if (!r.key_file) return "no key file: give -k KEY_FILE or a profile with key_file";
    if (r.command.empty()) return "-c: the command name is empty";
    return std::nullopt;
}

}  // namespace

int send_command(int argc, char** argv) {
    SendRequest r;
    bool help = false;
    if (auto problem = parse(argc, argv, r, help)) return usage_error(*problem);
    if (help) return 0;

    // Everything that can be wrong with the request is found before anything is sent.
    Result<HostPort> hp = parse_host_port(*r.address);
    if (!hp) return usage_error(hp.error());
    wire::Ip claimed;
    if (r.ip) {
        Result<wire::Ip> ip = wire::Ip::parse(*r.ip);
        if (!ip) return usage_error("-i: " + ip.error());
        claimed = *ip;
    }
    std::optional<WaitTarget> wait;
    if (r.wait) {
        Result<WaitTarget> target = parse_wait_target(*r.wait);
        if (!target) return usage_error(target.error());
        wait = *target;
    }
    Result<wire::Key> key = load_key_file(*r.key_file);
    if (!key) return usage_error(key.error());
    Result<std::vector<ResolvedAddress>> addresses = resolve_host(hp->host, hp->port, r.family, SOCK_DGRAM);
    if (!addresses) return usage_error(addresses.error());

    CounterStore counters(client_state_dir());
    Result<ReservedCounter> counter = counters.next(key->id(), now_ns());
    if (!counter) {
        std::fprintf(stderr, "ruroco-client: %s\n", counter.error().c_str());
        return 1;
    }
    wire::ClientData data;  // dst_ip is set per address by send_knock
    data.cmd_hash = wire::command_hash(r.command);
    data.counter = counter->value;
    data.strict = !r.permissive;
    data.src_ip = claimed;
    int sent = 0;
    for (const SendOutcome& outcome : send_knock(*key, data, *addresses)) {
        if (outcome.error != 0) {
            std::fprintf(stderr, "ruroco-client: could not send to %s: %s\n", outcome.address.c_str(),
                         std::strerror(outcome.error));
            continue;
        }
        sent++;
        if (!r.quiet) {
            // Progress goes to stderr: a script reading stdout gets nothing it did not ask for.
            std::fprintf(stderr, "sent %s to %s (key %s, counter %s)\n", r.command.c_str(),
                         outcome.address.c_str(), key->id_hex().c_str(),
                         wire::u128_to_string(counter->value).c_str());
        }
    }
    // After the datagrams, not before: the knock does not wait for the disk (ReservedCounter).
    Status durable = counter->make_durable();
    if (!durable) {
        // The knock is out and later sends on this machine already read the new counter; only a
        // power cut before the disk recovers could lose it.
        std::fprintf(stderr, "ruroco-client: warning: the counter is not on disk yet: %s\n", durable.error().c_str());
    }
    if (sent == 0) return 1;
    if (!wait) return 0;
    std::string wait_host = wait->host.value_or(hp->host);
    if (wait_for_tcp(wait_host, wait->port, r.family, r.wait_timeout)) {
        if (!r.quiet) std::fprintf(stderr, "port %u on %s is open\n", wait->port, wait_host.c_str());
        return 0;
    }
    std::fprintf(stderr,
                 "ruroco-client: no TCP connect to %s:%u within %u s: check the server's log, its clock "
                 "(max_clock_skew), the key, and the command\n",
                 wait_host.c_str(), wait->port, r.wait_timeout);
    return 1;
}

}  // namespace ruroco
