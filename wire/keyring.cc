// Key lookup by id: see keyring.h.
#include "wire/keyring.h"

#include "wire/bytes.h"

namespace ruroco::wire {

std::uint64_t KeyRing::index(const KeyId& id) { return load_be64(id.data()); }

bool KeyRing::add(Key key) {
    return keys_.emplace(index(key.id()), std::move(key)).second;
}

const Key* KeyRing::find(const KeyId& id) const {
    auto it = keys_.find(index(id));
    return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace ruroco::wire
