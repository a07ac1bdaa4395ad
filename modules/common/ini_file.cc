// INI reading through inih: see ini_file.h. inih's defaults (200-byte lines cut silently,
// inline ';' comments, indented continuation lines) would corrupt shell commands, so Debian's
// runtime switches are set before every parse, and a custom line reader counts line numbers
// (the packaged inih calls handlers without them) and refuses over-long lines.
#include "modules/common/ini_file.h"

#include <ini.h>

#include <cstring>

#include "modules/common/atomic_file.h"

namespace ruroco {

namespace {

constexpr size_t kMaxIniFileSize = 1 << 20;

struct LineReader {
    const std::string* text;
    size_t pos = 0;
    int line = 0;
    IniFile* file;
    // The section as recorded in file->sections. Entries take their section from here, not
    // from inih, which keeps blanks inside the brackets and cuts names at 50 bytes: with its
    // name, "[ server ]" would list as "server" while its keys went to " server ", unseen.
    std::string section;
};

std::string trim(std::string s) {
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

// inih's fgets-style reader. Hands over one line at a time; an over-long line is recorded
// as a problem and replaced by an empty line so nothing of it is ever used.
char* read_line(char* out, int capacity, void* stream) {
    auto* r = static_cast<LineReader*>(stream);
    if (r->pos >= r->text->size()) return nullptr;
    size_t end = r->text->find('\n', r->pos);
    size_t next = end == std::string::npos ? r->text->size() : end + 1;
    size_t len = (end == std::string::npos ? r->text->size() : end) - r->pos;
    r->line++;
    if (len > static_cast<size_t>(kIniMaxLine) || len + 2 > static_cast<size_t>(capacity)) {
        r->file->problems.push_back(at_line(r->file->path, r->line,
                                            "line longer than " + std::to_string(kIniMaxLine) +
                                                " bytes"));
        std::strcpy(out, "\n");
    } else {
        std::memcpy(out, r->text->data() + r->pos, len);
        out[len] = '\n';
        out[len + 1] = '\0';
        std::string line = trim(std::string(out, len));
        size_t close = line.find(']');
        if (!line.empty() && line.front() == '[' && close != std::string::npos) {
            // inih takes "[a] anything" as section a; text after the ']' is refused instead,
            // as comments are whole lines.
            if (close + 1 != line.size()) {
                r->file->problems.push_back(
                    at_line(r->file->path, r->line, "text after ']' of a section header"));
            }
            r->section = trim(line.substr(1, close - 1));
            r->file->sections.push_back({r->section, r->line});
        }
    }
    r->pos = next;
    return out;
}

int on_entry(void* user, const char* /*inih's section*/, const char* name, const char* value) {
    auto* r = static_cast<LineReader*>(user);
    r->file->entries.push_back({r->section, name, value, r->line});
    return 1;
}

void configure_inih() {
    ini_allow_multiline = false;
    ini_allow_inline_comments = false;
    ini_allow_no_value = false;
    ini_stop_on_first_error = false;
    ini_use_stack = false;  // the stack buffer is fixed at 200 bytes at inih's build time
    ini_allow_realloc = false;
    ini_max_line = kIniMaxLine + 2;
    ini_initial_alloc = kIniMaxLine + 2;
}

}  // namespace

std::string at_line(const std::string& path, int line, const std::string& message) {
    return path + ":" + std::to_string(line) + ": " + message;
}

IniFile read_ini_text(const std::string& path, const std::string& text) {
    IniFile file;
    file.path = path;
    if (text.find('\0') != std::string::npos) {
        file.problems.push_back(path + ": contains a NUL byte; not a text file");
        return file;
    }
    configure_inih();
    LineReader reader{&text, 0, 0, &file, ""};
    int rc = ini_parse_stream(read_line, &reader, on_entry, &reader);
    if (rc > 0) {
        file.problems.push_back(at_line(path, rc, "expected 'key = value', '[section]' or a "
                                                  "comment line starting with ; or #"));
    } else if (rc < 0) {
        file.problems.push_back(path + ": cannot parse (out of memory)");
    }
    return file;
}

IniFile read_ini_file(const std::string& path) {
    Result<std::string> text = read_small_file(path, kMaxIniFileSize);
    if (!text) {
        IniFile file;
        file.path = path;
        file.problems.push_back(text.error());
        return file;
    }
    return read_ini_text(path, *text);
}

}  // namespace ruroco
