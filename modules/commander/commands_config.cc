// commands.ini loading and validation: see commands_config.h.
#include "modules/commander/commands_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "modules/common/ini_file.h"
#include "modules/common/ini_values.h"
#include "wire/hash.h"

namespace ruroco {

namespace {

constexpr std::size_t kMaxCommandsFileSize = 1 << 20;
constexpr std::uint32_t kMaxSeconds = 86400;

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

bool has_control_character(const std::string& text) {
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

// Whoever can write the file can run anything as the commander (root), so it must belong to
// root, or to the user the commander runs as when that is not root (tests, --check by hand).
std::string ownership_problem(const std::string& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode)) return path + ": not a regular file";
    uid_t self = geteuid();
    if (st.st_uid != 0 && st.st_uid != self) {
        return path + ": owned by uid " + std::to_string(st.st_uid) + ", expected root" +
               (self == 0 ? "" : " or uid " + std::to_string(self)) + "; refusing it";
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return path + ": mode " + octal_mode(st.st_mode) +
               " lets group or others write it; refusing it (chmod 600)";
    }
    return "";
}

Result<std::string> read_fd(const std::string& path, int fd) {
    std::string text;
    char buffer[8192];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return make_error(path + ": cannot read: " + std::strerror(errno));
        if (n == 0) return text;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxCommandsFileSize) {
            return make_error(path + ": larger than " + std::to_string(kMaxCommandsFileSize) + " bytes");
        }
    }
}

struct SectionState {
    CommandSpec spec;
    std::set<std::string> keys;
    int stop_line = 0;
    int stop_after_line = 0;
    bool start_seen = false;  // even when its value was refused
    bool start_valid = false;
};

// One key of one section: returns a message, or "" when the value was taken.
std::string apply_key(SectionState& s, const IniEntry& e) {
    if (e.key == "start") {
        s.start_seen = true;
        if (e.value.empty()) return "start is empty";
        s.spec.start = e.value;
        s.start_valid = true;
        return "";
    }
    if (e.key == "stop") {
        if (e.value.empty()) return "stop is empty";
        s.spec.stop = e.value;
        s.stop_line = e.line;
        return "";
    }
    if (e.key == "stop_after" || e.key == "timeout") {
        Result<std::uint32_t> n = parse_uint_value(e.key, e.value, 1, kMaxSeconds);
        if (!n) return n.error();
        if (e.key == "timeout") {
            s.spec.timeout = *n;
        } else {
            s.spec.stop_after = *n;
            s.stop_after_line = e.line;
        }
        return "";
    }
    if (e.key == "restart") {
        if (e.value == "extend") {
            s.spec.restart = RestartPolicy::extend;
        } else if (e.value == "rerun") {
            s.spec.restart = RestartPolicy::rerun;
        } else {
            return "restart = '" + e.value + "': expected extend or rerun";
        }
        return "";
    }
    return "unknown key '" + e.key + "' in [" + e.section +
           "]; expected start, stop, stop_after, timeout or restart";
}

CommandsConfig from_ini(IniFile ini) {
    CommandsConfig config;
    config.path = ini.path;
    config.problems = std::move(ini.problems);
    const std::string& path = config.path;

    std::map<std::string, SectionState> sections;
    std::vector<std::string> order;
    for (const IniSection& s : ini.sections) {
        if (s.name.empty() || has_control_character(s.name)) {
            config.problems.push_back(at_line(path, s.line, "empty or unprintable command name"));
        } else if (sections.count(s.name) != 0) {
            config.problems.push_back(at_line(path, s.line, "command [" + s.name + "] appears twice"));
        } else {
            SectionState& state = sections[s.name];
            state.spec.name = s.name;
            state.spec.line = s.line;
            order.push_back(s.name);
        }
    }
    for (const IniEntry& e : ini.entries) {
        if (e.section.empty()) {
            config.problems.push_back(
                at_line(path, e.line, "key '" + e.key + "' outside any [command] section"));
            continue;
        }
        auto it = sections.find(e.section);
        if (it == sections.end()) continue;  // an invalid section name, reported above
        std::string problem = apply_key(it->second, e);
        if (problem.empty() && !it->second.keys.insert(e.key).second) {
            problem = "key '" + e.key + "' set twice in [" + e.section + "]";
        }
        if (!problem.empty()) config.problems.push_back(at_line(path, e.line, problem));
    }
    for (const std::string& name : order) {
        SectionState& s = sections[name];
        bool complete = true;
        if (!s.start_seen) {
            config.problems.push_back(at_line(path, s.spec.line, "[" + name + "] has no start command"));
        }
        if (!s.start_valid) complete = false;
        if (s.stop_line != 0 && s.stop_after_line == 0) {
            config.problems.push_back(
                at_line(path, s.stop_line, "[" + name + "] sets stop but not stop_after"));
            complete = false;
        }
        if (s.stop_after_line != 0 && s.stop_line == 0) {
            config.problems.push_back(
                at_line(path, s.stop_after_line, "[" + name + "] sets stop_after but not stop"));
            complete = false;
        }
        if (!complete) continue;
        std::uint64_t hash = wire::command_hash(name);
        auto [it, inserted] = config.commands.emplace(hash, s.spec);
        if (!inserted) {
            config.problems.push_back(at_line(path, s.spec.line,
                                              "[" + name + "] has the same hash " + wire::hash_to_hex(hash) +
                                                  " as [" + it->second.name + "]; rename one"));
        }
    }
    return config;
}

}  // namespace

CommandsConfig parse_commands_text(const std::string& path, const std::string& text) {
    return from_ini(read_ini_text(path, text));
}

CommandsConfig load_commands_config(const std::string& path) {
    CommandsConfig refused;
    refused.path = path;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        refused.problems.push_back(path + ": cannot open: " + std::strerror(errno));
        return refused;
    }
    // Checked on the descriptor that is read, so the file cannot be swapped in between.
    struct stat st;
    std::string problem;
    if (fstat(fd, &st) != 0) {
        problem = path + ": cannot stat: " + std::strerror(errno);
    } else {
        problem = ownership_problem(path, st);
    }
    Result<std::string> text = problem.empty() ? read_fd(path, fd) : Result<std::string>(make_error(problem));
    close(fd);
    if (!text) {
        refused.problems.push_back(text.error());
        return refused;
    }
    return parse_commands_text(path, *text);
}

}  // namespace ruroco
