// Logging: one line per event on stderr. When stderr is the systemd journal, each line gets a
// <N> syslog priority prefix so journald files it at the right level. Never pass a key here.
#pragma once

namespace ruroco {

enum class LogLevel { error = 3, warning = 4, info = 6, debug = 7 };

void log_line(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) ::ruroco::log_line(::ruroco::LogLevel::error, __VA_ARGS__)
#define log_warning(...) ::ruroco::log_line(::ruroco::LogLevel::warning, __VA_ARGS__)
#define log_info(...) ::ruroco::log_line(::ruroco::LogLevel::info, __VA_ARGS__)

// Re-reads JOURNAL_STREAM; call after stderr is redirected.
void log_detect_journal();

}  // namespace ruroco
