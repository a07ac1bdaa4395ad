// The keys a server holds, found by key id. Pure data: loading from files is the server's job.
#pragma once

#include <cstdint>
#include <map>

#include "wire/key.h"

namespace ruroco::wire {

class KeyRing {
  public:
    // False (and the ring unchanged) when a key with that id is already held.
    bool add(Key key);
    const Key* find(const KeyId& id) const;
    std::size_t size() const { return keys_.size(); }

  private:
    static std::uint64_t index(const KeyId& id);
    std::map<std::uint64_t, Key> keys_;
};

}  // namespace ruroco::wire
