// Logging to stderr: see log.h. Each line is built in one buffer and written with one write(2)
// so lines from concurrent processes never interleave.
#include "modules/common/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ruroco {

namespace {

int journal_state = -1;  // -1 unknown, 0 plain stderr, 1 the journal

bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
    struct stat st;
    if (fstat(STDERR_FILENO, &st) != 0) return false;
    return st.st_dev == dev && st.st_ino == ino;
}

}  // namespace

void log_detect_journal() { journal_state = stderr_is_journal() ? 1 : 0; }

void log_line(LogLevel level, const char* format, ...) {
    if (journal_state < 0) log_detect_journal();
    char line[2048];
    int used = 0;
    if (journal_state == 1) used = std::snprintf(line, sizeof line, "<%d>", static_cast<int>(level));
    va_list args;
    va_start(args, format);
    int n = std::vsnprintf(line + used, sizeof line - static_cast<size_t>(used) - 1, format, args);
    va_end(args);
    if (n < 0) return;
    size_t len = std::strlen(line);
    line[len++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}

}  // namespace ruroco
