// client.ini profiles: see profiles.h.
#include "modules/client/profiles.h"

#include <set>

#include "modules/client/waiter.h"
#include "modules/common/address.h"
#include "modules/common/ini_file.h"
#include "modules/common/ini_values.h"
#include "wire/ip.h"

namespace ruroco {

namespace {

// Blank-separated with a blank at each end, so " key " finds whole names only.
const std::string kKnownKeys = " address key_file command ip permissive family wait wait_timeout ";

std::optional<bool> parse_bool(const std::string& value) {
    if (value == "yes" || value == "true" || value == "1") return true;
    if (value == "no" || value == "false" || value == "0") return false;
    return std::nullopt;
}

// Values are checked here, where the file:line is known, not later when they are used.
std::string apply(Profile& p, const std::string& key, const std::string& value) {
    if (value.empty() && kKnownKeys.find(" " + key + " ") != std::string::npos) return key + " is empty";
    if (key == "address") {
        Result<HostPort> hp = parse_host_port(value);
        if (!hp) return "address: " + hp.error();
        p.address = value;
    } else if (key == "key_file") {
        p.key_file = value;
    } else if (key == "command") {
        p.command = value;
    } else if (key == "ip") {
        Result<wire::Ip> ip = wire::Ip::parse(value);
        if (!ip) return "ip: " + ip.error();
        p.ip = value;
    } else if (key == "wait") {
        Result<WaitTarget> target = parse_wait_target(value);
        if (!target) return "wait: " + target.error();
        p.wait = value;
    } else if (key == "permissive") {
        p.permissive = parse_bool(value);
        if (!p.permissive) return "permissive = '" + value + "': expected yes or no";
    } else if (key == "family") {
        if (value != "4" && value != "6") return "family = '" + value + "': expected 4 or 6";
        p.family = value == "4" ? 4 : 6;
    } else if (key == "wait_timeout") {
        Result<std::uint32_t> n = parse_uint_value(key, value, 1, 3600);
        if (!n) return n.error();
        p.wait_timeout = *n;
    } else {
        return "unknown key '" + key + "' (expected one of:" + kKnownKeys.substr(0, kKnownKeys.size() - 1) +
               ")";
    }
    return "";
}

ProfileFile from_ini(const IniFile& ini) {
    ProfileFile file;
    file.problems = ini.problems;
    std::set<std::string> seen;
    for (const IniSection& s : ini.sections) {
        if (!seen.insert(s.name).second) {
            file.problems.push_back(at_line(ini.path, s.line, "profile [" + s.name + "] appears twice"));
            continue;
        }
        file.profiles.push_back(Profile{s.name, {}, {}, {}, {}, {}, {}, {}, {}});
    }
    std::set<std::string> seen_keys;
    for (const IniEntry& e : ini.entries) {
        std::string problem;
        Profile* profile = nullptr;
        for (Profile& p : file.profiles) {
            if (p.name == e.section) profile = &p;
        }
        if (profile == nullptr) {
            problem = "key '" + e.key + "' outside any [profile] section";
        } else if (!seen_keys.insert(e.section + "." + e.key).second) {
            problem = "key '" + e.key + "' set twice in [" + e.section + "]";
        } else {
            problem = apply(*profile, e.key, e.value);
        }
        if (!problem.empty()) file.problems.push_back(at_line(ini.path, e.line, problem));
    }
    return file;
}

}  // namespace

ProfileFile load_profiles(const std::string& path) {
    return from_ini(read_ini_file(path));
}

ProfileFile parse_profiles_text(const std::string& path, const std::string& text) {
    return from_ini(read_ini_text(path, text));
}

}  // namespace ruroco
