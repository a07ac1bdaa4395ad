// The client's per-key counter (PROTOCOL.md 5): the next counter is max(now_ns, last + 1),
// taken and written under an exclusive lock before anything is sent, so two quick or
// concurrent sends never share a counter and a crash never lets one be reused.
#pragma once

#include <string>
#include <utility>

#include "wire/bytes.h"
#include "wire/key.h"
#include "wire/result.h"

namespace ruroco {

class CounterStore {
  public:
    explicit CounterStore(std::string dir) : dir_(std::move(dir)) {}

    // Reserves and persists the next counter for the key: max(now_ns, last + 1). A counter file
    // that is not one decimal number is an error naming it, never a silent restart from 0.
    Result<wire::u128> next(const wire::KeyId& id, wire::u128 now_ns);
    // Sets the counter to now_ns, even if it was ahead (a clock that ran fast).
    Result<wire::u128> reset(const wire::KeyId& id, wire::u128 now_ns);

    std::string counter_path(const wire::KeyId& id) const;
    std::string lock_path(const wire::KeyId& id) const;

  private:
    std::string dir_;
};

wire::u128 now_ns();

}  // namespace ruroco
