// Client counters: see counter_store.h. The lock is a separate file because the counter file
// itself is replaced by rename on every write, which would leave a lock on a dead inode.
#include "modules/client/counter_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "modules/common/atomic_file.h"
#include "modules/common/ini_values.h"
#include "wire/decimal.h"
#include "wire/hex.h"

namespace ruroco {

wire::u128 now_ns() {
    return static_cast<wire::u128>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

std::string CounterStore::counter_path(const wire::KeyId& id) const {
    return dir_ + "/" + wire::to_hex(id.data(), id.size()) + ".counter";
}

template <typename Update>
Result<wire::u128> CounterStore::update(const wire::KeyId& id, bool must_parse, Update compute) {
    Status made = make_directories(dir_, 0700);
    if (!made) return make_error(made.error());
    std::string lock_path = dir_ + "/" + wire::to_hex(id.data(), id.size()) + ".lock";
    int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0) return make_error("cannot open " + lock_path + ": " + std::strerror(errno));
    while (flock(lock, LOCK_EX) != 0) {
        if (errno != EINTR) {
            std::string why = std::strerror(errno);
            close(lock);
            return make_error("cannot lock " + lock_path + ": " + why);
        }
    }
    std::string path = counter_path(id);
    Result<std::string> text = read_small_file(path, 64, true);
    wire::u128 last = 0;
    if (!text) {
        close(lock);
        return make_error(text.error());
    }
    std::string digits = trim_blanks(*text);
    if (must_parse && !digits.empty() && !wire::u128_from_string(digits, last)) {
        close(lock);
        return make_error(path + " is corrupt (expected one decimal number); fix it or run 'ruroco-client reseed'");
    }
    wire::u128 next = compute(last);
    Status written = write_file_atomically(path, wire::u128_to_string(next) + "\n", 0600);
    close(lock);  // releases the lock, after the new value is durable
    if (!written) return make_error(written.error());
    return next;
}

Result<wire::u128> CounterStore::next(const wire::KeyId& id, wire::u128 now) {
    return update(id, true, [now](wire::u128 last) { return now > last ? now : last + 1; });
}

Result<wire::u128> CounterStore::reset(const wire::KeyId& id, wire::u128 now) {
    return update(id, false, [now](wire::u128) { return now; });
}

}  // namespace ruroco
