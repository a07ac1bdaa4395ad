// Client counters: see counter_store.h. The lock is a separate file because the counter file
// itself is replaced by rename on every write, which would leave a lock on a dead inode.
#include "modules/client/counter_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "modules/common/atomic_file.h"
#include "modules/common/ini_values.h"
#include "wire/decimal.h"
#include "wire/hex.h"

namespace ruroco {

namespace {

constexpr wire::u128 kMaxCounter = ~static_cast<wire::u128>(0);

// Holds an exclusive flock on the key's lock file for as long as it lives.
class CounterLock {
  public:
    static Result<CounterLock> take(const std::string& path) {
        int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) return make_error("cannot open " + path + ": " + std::strerror(errno));
        while (flock(fd, LOCK_EX) != 0) {
            if (errno != EINTR) {
                std::string why = std::strerror(errno);
                close(fd);
                return make_error("cannot lock " + path + ": " + why);
            }
        }
        return CounterLock(fd);
    }
    CounterLock(CounterLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    CounterLock& operator=(CounterLock&&) = delete;
    CounterLock(const CounterLock&) = delete;
    ~CounterLock() {
        if (fd_ >= 0) close(fd_);  // releases the flock
    }

  private:
    explicit CounterLock(int fd) : fd_(fd) {}
    int fd_;
};

// The stored counter; a missing file is 0. A file that exists but does not hold exactly one
// decimal number is an error: silently starting over would reopen the replay window.
Result<wire::u128> read_last(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return wire::u128{0};
        return make_error("cannot stat " + path + ": " + std::strerror(errno));
    }
    const std::string fix = "; fix it or run 'ruroco-client reseed -k KEY_FILE'";
    Result<std::string> text = read_small_file(path, 64);
    if (!text) return make_error(text.error() + fix);
    wire::u128 last = 0;
    if (!wire::u128_from_string(trim_blanks(*text), last)) {
        return make_error(path + " is corrupt (expected one decimal number)" + fix);
    }
    return last;
}

}  // namespace

wire::u128 now_ns() {
    return static_cast<wire::u128>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

std::string CounterStore::counter_path(const wire::KeyId& id) const {
    return dir_ + "/" + wire::to_hex(id.data(), id.size()) + ".counter";
}

std::string CounterStore::lock_path(const wire::KeyId& id) const {
    return dir_ + "/" + wire::to_hex(id.data(), id.size()) + ".lock";
}

Result<ReservedCounter> CounterStore::next(const wire::KeyId& id, wire::u128 now) {
    Status made = make_directories(dir_, 0700);
    if (!made) return make_error(made.error());
    Result<CounterLock> lock = CounterLock::take(lock_path(id));
    if (!lock) return make_error(lock.error());
    std::string path = counter_path(id);
    Result<wire::u128> last = read_last(path);
    if (!last) return make_error(last.error());
    if (*last == kMaxCounter) {
        return make_error(path +
                          " holds the largest possible counter; run 'ruroco-client reseed -k KEY_FILE'");
    }
    wire::u128 next = now > *last ? now : *last + 1;
    // In place before the caller sends, so no later send can reuse it; see ReservedCounter.
    Result<PendingSync> written = replace_file(path, wire::u128_to_string(next) + "\n", 0600);
    if (!written) return make_error(written.error());
    return ReservedCounter{next, std::move(*written)};
}

Result<wire::u128> CounterStore::reset(const wire::KeyId& id, wire::u128 now) {
    Status made = make_directories(dir_, 0700);
    if (!made) return make_error(made.error());
    Result<CounterLock> lock = CounterLock::take(lock_path(id));
    if (!lock) return make_error(lock.error());
    // The old content is not read: reseed is also how a corrupt counter file is repaired.
    Status written = write_file_atomically(counter_path(id), wire::u128_to_string(now) + "\n", 0600);
    if (!written) return make_error(written.error());
    return now;
}

}  // namespace ruroco
