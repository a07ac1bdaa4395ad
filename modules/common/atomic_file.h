// Durable small files: write to a temporary file in the same directory, fsync it, rename it
// over the target, fsync the directory. After a crash at any instant the target holds either
// the old or the new content, whole. Used for the stop journal and the client's reseed; the
// client's counter uses replace_file (below), the server's replay state its own directory fd.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "wire/result.h"

namespace ruroco {

Status write_file_atomically(const std::string& path, std::string_view content, mode_t mode);

// The part of a replace_file that may wait: the new content is already what every process
// reads at the path; sync() puts it, and its name, on disk. Until then a power cut (not a
// process crash) may leave the old content, or on some filesystems a torn file.
class PendingSync {
  public:
    PendingSync(PendingSync&& other) noexcept;
    PendingSync& operator=(PendingSync&&) = delete;
    PendingSync(const PendingSync&) = delete;
    ~PendingSync();
    Status sync();  // fsync the file, then its directory

  private:
    friend Result<PendingSync> replace_file(const std::string&, std::string_view, mode_t);
    PendingSync(int file_fd, int dir_fd, std::string path);
    int file_fd_;
    int dir_fd_;
    std::string path_;
};

// Writes a temporary file and renames it over `path` at once, leaving both fsyncs to the
// returned PendingSync: for a write that must be visible before an action and durable only
// after it (the client's counter: before its datagram leaves, and before it exits).
Result<PendingSync> replace_file(const std::string& path, std::string_view content, mode_t mode);

// Reads a whole file of at most max_size bytes; a larger file is an error, not a cut.
// A missing file is an error naming the path, or, with missing_ok, reads as empty.
Result<std::string> read_small_file(const std::string& path, std::size_t max_size,
                                    bool missing_ok = false);

// The directory part of a path ("." when there is none).
std::string parent_directory(const std::string& path);

// mkdir -p with the given mode for the directories it creates.
Status make_directories(const std::string& path, mode_t mode);

}  // namespace ruroco
