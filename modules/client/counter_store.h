// The client's per-key counter (PROTOCOL.md 5): the next counter is max(now_ns, last + 1),
// taken and put in place under an exclusive lock before anything is sent, so two quick or
// concurrent sends never share a counter, and made durable before the client exits.
#pragma once

#include <string>
#include <utility>

#include "modules/common/atomic_file.h"
#include "wire/bytes.h"
#include "wire/key.h"
#include "wire/result.h"

namespace ruroco {

// A counter taken from the store. Every later send already reads it (the new file is renamed
// into place under the lock); make_durable() fsyncs it. The sender calls that once its
// datagrams are out, so a knock does not wait for the disk: only a power cut in between could
// lose the value, and then the clock, long past it after a reboot, keeps the next one higher.
struct ReservedCounter {
    wire::u128 value = 0;
    PendingSync pending;
    Status make_durable() { return pending.sync(); }
};

class CounterStore {
  public:
    explicit CounterStore(std::string dir) : dir_(std::move(dir)) {}

    // Reserves the next counter for the key: max(now_ns, last + 1). A counter file that is not
    // one decimal number is an error naming it, never a silent restart from 0.
    Result<ReservedCounter> next(const wire::KeyId& id, wire::u128 now_ns);
    // Sets the counter to now_ns, even if it was ahead (a clock that ran fast).
    Result<wire::u128> reset(const wire::KeyId& id, wire::u128 now_ns);

    std::string counter_path(const wire::KeyId& id) const;
    std::string lock_path(const wire::KeyId& id) const;

  private:
    std::string dir_;
};

wire::u128 now_ns();

}  // namespace ruroco
