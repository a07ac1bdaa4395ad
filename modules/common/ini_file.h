// INI files through inih, configured so that a value is the whole rest of its line: no inline
// comments (`start = a ; b` keeps "a ; b"), no continuation lines, lines up to 4096 bytes and a
// longer line is a file:line error, never a cut. Comments are whole lines starting with ; or #.
// Every problem is collected with its file:line so `--check` can print them all at once.
#pragma once

#include <string>
#include <vector>

namespace ruroco {

inline constexpr int kIniMaxLine = 4096;

struct IniEntry {
    std::string section;
    std::string key;
    std::string value;
    int line = 0;
};

struct IniSection {
    std::string name;
    int line = 0;
};

struct IniFile {
    std::string path;
    std::vector<IniSection> sections;  // in file order, duplicates included
    std::vector<IniEntry> entries;     // in file order, duplicates included
    std::vector<std::string> problems; // "path:line: what is wrong"
};

// A missing or unreadable file is one problem naming the path.
IniFile read_ini_file(const std::string& path);
IniFile read_ini_text(const std::string& path_for_messages, const std::string& text);

// "path:line: message"
std::string at_line(const std::string& path, int line, const std::string& message);

}  // namespace ruroco
