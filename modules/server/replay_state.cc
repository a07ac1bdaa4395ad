// Durable replay state: see replay_state.h. Same sequence as modules/common/atomic_file
// (temporary file, fsync, rename, fsync of the directory), relative to a directory fd.
#include "modules/server/replay_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "wire/hex.h"

namespace ruroco {

namespace {

constexpr const char* kTempName = "replay.state.tmp";
constexpr std::size_t kMaxStateFile = 1 << 20;

std::string errno_text() { return std::strerror(errno); }

}  // namespace

Result<ReplayState> ReplayState::load(int dir_fd, const std::string& dir_name) {
    ReplayState state(dir_fd, dir_name);
    std::string path = dir_name + "/" + kReplayFileName;
    int fd = openat(dir_fd, kReplayFileName, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return state;
        return make_error("cannot open " + path + ": " + errno_text());
    }
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0 && text.size() <= kMaxStateFile) {
        text.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    if (n < 0) return make_error("cannot read " + path + ": " + errno_text());
    if (text.size() > kMaxStateFile) return make_error(path + " is too large to be a replay state file");
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        number++;
        if (line.empty()) continue;
        std::istringstream fields(line);
        std::string id_hex, counter_text, rest;
        fields >> id_hex >> counter_text >> rest;
        Result<std::vector<std::uint8_t>> id = wire::from_hex(id_hex);
        wire::u128 counter = 0;
        if (!id || id->size() != wire::kKeyIdSize || !wire::u128_from_string(counter_text, counter) || !rest.empty()) {
            return make_error(path + ":" + std::to_string(number) +
                              ": corrupt replay state (expected '<key id hex> <counter>'); "
                              "refusing to start rather than forget which packets were seen");
        }
        state.last_[wire::load_be64(id->data())] = counter;
    }
    return state;
}

bool ReplayState::is_replay(const wire::KeyId& id, wire::u128 counter) const {
    auto it = last_.find(wire::load_be64(id.data()));
    return it != last_.end() && counter <= it->second;
}

Status ReplayState::accept(const wire::KeyId& id, wire::u128 counter) {
    std::uint64_t index = wire::load_be64(id.data());
    auto it = last_.find(index);
    bool had = it != last_.end();
    wire::u128 previous = had ? it->second : 0;
    last_[index] = counter;
    Status saved = save();
    if (!saved) {
        if (had) {
            last_[index] = previous;
        } else {
            last_.erase(index);
        }
    }
    return saved;
}

Status ReplayState::save() const {
    std::string text;
    for (const auto& [index, counter] : last_) {
        std::uint8_t id[8];
        wire::store_be64(id, index);
        text += wire::to_hex(id, sizeof id) + " " + wire::u128_to_string(counter) + "\n";
    }
    unlinkat(dir_fd_, kTempName, 0);
    int fd = openat(dir_fd_, kTempName, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return make_error("cannot create " + dir_name_ + "/" + kTempName + ": " + errno_text());
    const char* data = text.data();
    std::size_t left = text.size();
    bool ok = true;
    while (ok && left > 0) {
        ssize_t n = write(fd, data, left);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) {
            data += n;
            left -= static_cast<std::size_t>(n);
        }
    }
    ok = ok && fsync(fd) == 0;
    std::string why = ok ? "" : errno_text();
    if (close(fd) != 0 && ok) {
        ok = false;
        why = errno_text();
    }
    if (!ok) {
        unlinkat(dir_fd_, kTempName, 0);
        return make_error("cannot write " + dir_name_ + "/" + kTempName + ": " + why);
    }
    if (renameat(dir_fd_, kTempName, dir_fd_, kReplayFileName) != 0) {
        why = errno_text();
        unlinkat(dir_fd_, kTempName, 0);
        return make_error("cannot rename the replay state in " + dir_name_ + ": " + why);
    }
    if (fsync(dir_fd_) != 0) return make_error("cannot fsync " + dir_name_ + ": " + errno_text());
    return ok_status();
}

}  // namespace ruroco
