// The last accepted counter per key id (PROTOCOL.md 4), persisted durably in the state
// directory before any command is asked for. Works on a directory descriptor opened before
// the chroot, so the network child can keep its state after it has lost the file system.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "wire/bytes.h"
#include "wire/decimal.h"
#include "wire/key.h"
#include "wire/result.h"

namespace ruroco {

inline constexpr const char* kReplayFileName = "replay.state";

class ReplayState {
  public:
    // Reads kReplayFileName in dir_fd (missing = empty). A corrupt file is an error: replay
    // protection must never be silently reset. dir_name is for messages only.
    static Result<ReplayState> load(int dir_fd, const std::string& dir_name);

    bool is_replay(const wire::KeyId& id, wire::u128 counter) const;
    // Records and persists; on failure the in-memory state is rolled back.
    Status accept(const wire::KeyId& id, wire::u128 counter);

  private:
    ReplayState(int dir_fd, std::string dir_name) : dir_fd_(dir_fd), dir_name_(std::move(dir_name)) {}
    Status save() const;

    int dir_fd_;
    std::string dir_name_;
    std::map<std::uint64_t, wire::u128> last_;
};

}  // namespace ruroco
