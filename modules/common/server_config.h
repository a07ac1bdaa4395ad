// server.ini, read by both the server and the commander (BEHAVIOUR.md "Files"). It holds no
// secrets. Every key is validated; unknown keys and sections are file:line errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "modules/common/cidr.h"
#include "wire/ip.h"

namespace ruroco {

inline constexpr const char* kDefaultServerConfigPath = "/etc/ruroco/server.ini";

struct ServerConfig {
    std::string path;

    // [server]
    wire::Ip listen_ip;  // default [::] (dual-stack)
    bool listen_ip_is_v6_any = true;
    std::uint16_t listen_port = 34020;
    std::vector<wire::Ip> ips;  // empty: the local address each datagram arrived at
    std::string key_dir = "/etc/ruroco/keys";
    std::string state_dir = "/var/lib/ruroco";
    std::string user = "ruroco";
    // Not in BEHAVIOUR.md's sample: the empty directory the network child chroots into.
    std::string chroot = "/run/ruroco/empty";
    std::uint32_t max_clock_skew = 30;
    std::uint32_t rate_per_ip = 2;
    std::uint32_t rate_global = 1000;
    std::uint32_t rate_table = 65536;

    // [commander]
    std::string commands = "/etc/ruroco/commands.ini";
    std::string socket = "/run/ruroco/commander.sock";
    std::string socket_group;  // empty: the socket is 0600
    std::uint32_t max_running = 16;
    std::vector<Cidr> allow_from;  // defaults to everything
    // Not in BEHAVIOUR.md's sample: where pending stops are journaled. Root's alone, apart
    // from state_dir, which belongs to the network child's user.
    std::string journal_dir = "/var/lib/ruroco-commander";

    std::vector<std::string> problems;  // "path:line: ..."; the config is unusable if any
};

ServerConfig load_server_config(const std::string& path);
ServerConfig parse_server_config_text(const std::string& path, const std::string& text);

}  // namespace ruroco
