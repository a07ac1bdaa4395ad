// Durable small files: write to a temporary file in the same directory, fsync it, rename it
// over the target, fsync the directory. After a crash at any instant the target holds either
// the old or the new content, whole. Used for the replay state, counters and journals.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "wire/result.h"

namespace ruroco {

Status write_file_atomically(const std::string& path, std::string_view content, mode_t mode);

// Reads a whole file of at most max_size bytes; a larger file is an error, not a cut.
// A missing file is an error naming the path, or, with missing_ok, reads as empty.
Result<std::string> read_small_file(const std::string& path, std::size_t max_size,
                                    bool missing_ok = false);

// The directory part of a path ("." when there is none).
std::string parent_directory(const std::string& path);

// mkdir -p with the given mode for the directories it creates.
Status make_directories(const std::string& path, mode_t mode);

}  // namespace ruroco
