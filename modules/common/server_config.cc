// server.ini parsing and validation: see server_config.h.
#include "modules/common/server_config.h"

#include <set>

#include "modules/common/address.h"
#include "modules/common/ini_file.h"
#include "modules/common/ini_values.h"

namespace ruroco {

namespace {


// One key: returns an error message or "" when the value was taken.
std::string apply_server_key(ServerConfig& c, const std::string& key, const std::string& value) {
    auto take_path = [&](std::string& field) -> std::string {
        Result<std::string> path = parse_path_value(key, value);
        if (!path) return path.error();
        field = *path;
        return "";
    };
    auto take_uint = [&](std::uint32_t& field, std::uint32_t min, std::uint32_t max) -> std::string {
        Result<std::uint32_t> n = parse_uint_value(key, value, min, max);
        if (!n) return n.error();
        field = *n;
        return "";
    };
    if (key == "listen") {
        Result<HostPort> hp = parse_host_port(value);
        if (!hp) return "listen: " + hp.error();
        Result<wire::Ip> ip = wire::Ip::parse(hp->host);
        if (!ip) return "listen = " + value + ": the host must be an IP address, not a name";
        c.listen_ip = *ip;
        c.listen_ip_is_v6_any = !ip->is_v4() && ip->is_zero();
        c.listen_port = hp->port;
        return "";
    }
    if (key == "ips") {
        Result<std::vector<std::string>> items = parse_list_value(key, value);
        if (!items) return items.error();
        c.ips.clear();
        for (const std::string& item : *items) {
            Result<wire::Ip> ip = wire::Ip::parse(item);
            if (!ip) return "ips: " + ip.error();
            if (ip->is_zero()) return "ips: " + item + " is the unspecified address";
            c.ips.push_back(*ip);
        }
        return "";
    }
    if (key == "key_dir") return take_path(c.key_dir);
    if (key == "state_dir") return take_path(c.state_dir);
    if (key == "chroot") return take_path(c.chroot);
    if (key == "user") {
        if (value.empty() || value == "root") return "user = '" + value + "': expected an unprivileged user";
        c.user = value;
        return "";
    }
    if (key == "max_clock_skew") return take_uint(c.max_clock_skew, 1, 86400);
    if (key == "rate_per_ip") return take_uint(c.rate_per_ip, 1, 1000000);
    if (key == "rate_global") return take_uint(c.rate_global, 1, 100000000);
    if (key == "rate_table") return take_uint(c.rate_table, 16, 16777216);
    return "unknown key '" + key + "' in [server]";
}

std::string apply_commander_key(ServerConfig& c, const std::string& key, const std::string& value) {
    if (key == "commands") {
        Result<std::string> path = parse_path_value(key, value);
        if (!path) return path.error();
        c.commands = *path;
        return "";
    }
    if (key == "socket") {
        Result<std::string> path = parse_path_value(key, value);
        if (!path) return path.error();
        if (path->size() >= 108) return "socket: path longer than a Unix socket allows (107 bytes)";
        c.socket = *path;
        return "";
    }
    if (key == "journal_dir") {
        Result<std::string> path = parse_path_value(key, value);
        if (!path) return path.error();
        c.journal_dir = *path;
        return "";
    }
    if (key == "socket_group") {
        c.socket_group = value;
        return "";
    }
    if (key == "max_running") {
        Result<std::uint32_t> n = parse_uint_value(key, value, 1, 4096);
        if (!n) return n.error();
        c.max_running = *n;
        return "";
    }
    if (key == "allow_from") {
        Result<std::vector<std::string>> items = parse_list_value(key, value);
        if (!items) return items.error();
        c.allow_from.clear();
        for (const std::string& item : *items) {
            Result<Cidr> cidr = Cidr::parse(item);
            if (!cidr) return "allow_from: " + cidr.error();
            c.allow_from.push_back(*cidr);
        }
        return "";
    }
    return "unknown key '" + key + "' in [commander]";
}

void set_defaults(ServerConfig& c) {
    c.listen_ip = wire::Ip{};  // [::]
    c.allow_from = {*Cidr::parse("0.0.0.0/0"), *Cidr::parse("::/0")};
}

ServerConfig from_ini(IniFile ini) {
    ServerConfig c;
    c.path = ini.path;
    set_defaults(c);
    c.problems = std::move(ini.problems);
    std::set<std::string> seen_sections;
    for (const IniSection& s : ini.sections) {
        if (s.name != "server" && s.name != "commander") {
            c.problems.push_back(at_line(c.path, s.line, "unknown section [" + s.name +
                                                             "]; expected [server] or [commander]"));
        } else if (!seen_sections.insert(s.name).second) {
            c.problems.push_back(at_line(c.path, s.line, "section [" + s.name + "] appears twice"));
        }
    }
    std::set<std::string> seen_keys;
    for (const IniEntry& e : ini.entries) {
        std::string problem;
        if (e.section == "server") {
            problem = apply_server_key(c, e.key, e.value);
        } else if (e.section == "commander") {
            problem = apply_commander_key(c, e.key, e.value);
        } else if (e.section.empty()) {
            problem = "key '" + e.key + "' outside any section";
        } else {
            continue;  // the unknown section was reported once above
        }
        if (problem.empty() && !seen_keys.insert(e.section + "." + e.key).second) {
            problem = "key '" + e.key + "' set twice in [" + e.section + "]";
        }
        if (!problem.empty()) c.problems.push_back(at_line(c.path, e.line, problem));
    }
    return c;
}

}  // namespace

ServerConfig load_server_config(const std::string& path) { return from_ini(read_ini_file(path)); }

ServerConfig parse_server_config_text(const std::string& path, const std::string& text) {
    return from_ini(read_ini_text(path, text));
}

}  // namespace ruroco
