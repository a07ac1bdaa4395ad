// Pending stops on disk: every stop the commander owes, written (temporary file, fsync,
// rename, fsync of the directory) BEFORE the start it undoes runs, and removed only after the
// stop succeeded. The journal lives in a root-only directory: the network child's user owns
// state_dir, and must never be able to cancel a stop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wire/ip.h"
#include "wire/result.h"

namespace ruroco {

struct PendingStop {
    std::string command;       // the section name in commands.ini
    wire::Ip ip;
    std::uint64_t due_ns = 0;  // wall clock, ns since the epoch: meaningful across restarts
    std::uint32_t failures = 0;
    bool gave_up = false;      // failed kMaxStopAttempts times; kept, listed, run on demand
};

inline constexpr const char* kJournalFile = "pending-stops";

class StopJournal {
  public:
    // Creates dir (root, 0700) when missing; refuses a dir that group or others can write.
    static Result<StopJournal> open(const std::string& dir);

    // Whole lines only: a torn or unreadable line is reported in problems and skipped; it never
    // stops the rest from loading. An error only when the file itself cannot be read (then
    // nothing may overwrite it).
    Result<std::vector<PendingStop>> load(std::vector<std::string>& problems) const;
    Status save(const std::vector<PendingStop>& stops) const;
    const std::string& path() const { return path_; }
    const std::string& dir() const { return dir_; }

  private:
    StopJournal(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}
    std::string dir_;
    std::string path_;
};

// The journal's text, exposed for tests: one line per stop, "v1 <hex name> <ip> <due> <fails> <gave_up>".
std::string format_journal(const std::vector<PendingStop>& stops);
std::vector<PendingStop> parse_journal(const std::string& path, const std::string& text,
                                       std::vector<std::string>& problems);

}  // namespace ruroco
