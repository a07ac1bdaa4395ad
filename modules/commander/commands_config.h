// commands.ini (BEHAVIOUR.md "Files"): one section per command, read only by the commander.
// The file must be root's (or, when not running as root, the running user's) and not writable
// by group or others: whoever can write it can run anything as root. Every problem is collected
// with its file:line so `--check` can list them all.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ruroco {

inline constexpr std::uint32_t kDefaultCommandTimeout = 30;

enum class RestartPolicy { extend, rerun };

struct CommandSpec {
    std::string name;   // the section name; RUROCO_COMMAND
    std::string start;  // run as /bin/sh -c <start>
    // Parsed and validated now; their behaviour (stop scheduling, the journal) comes later.
    std::string stop;
    std::uint32_t stop_after = 0;  // seconds; 0 when stop is unset
    RestartPolicy restart = RestartPolicy::extend;
    std::uint32_t timeout = kDefaultCommandTimeout;  // seconds before the group is killed
    int line = 0;                                    // where the section starts
};

// Keyed by wire::command_hash(name): the only thing a message names.
using CommandTable = std::map<std::uint64_t, CommandSpec>;

struct CommandsConfig {
    std::string path;
    CommandTable commands;
    std::vector<std::string> problems;  // "path:line: ..." or "path: ..."; unusable if any
};

// Opens the file once, checks owner and mode on that descriptor, then parses it.
CommandsConfig load_commands_config(const std::string& path);
// The parsing alone, without the ownership checks (for tests and --check on text).
CommandsConfig parse_commands_text(const std::string& path, const std::string& text);

}  // namespace ruroco
