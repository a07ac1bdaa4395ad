// ~/.config/ruroco/client.ini: one section per server, so scripts can say `send web1`.
// Every key is checked; an unknown key is a file:line error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ruroco {

struct Profile {
    std::string name;
    std::optional<std::string> address;
    std::optional<std::string> key_file;
    std::optional<std::string> command;
    std::optional<std::string> ip;
    std::optional<bool> permissive;
    std::optional<int> family;  // 4 or 6
    std::optional<std::string> wait;
    std::optional<std::uint32_t> wait_timeout;
};

struct ProfileFile {
    std::vector<Profile> profiles;
    std::vector<std::string> problems;
};

ProfileFile load_profiles(const std::string& path);
ProfileFile parse_profiles_text(const std::string& path, const std::string& text);

}  // namespace ruroco
