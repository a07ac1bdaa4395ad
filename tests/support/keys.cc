// Test key helpers: see keys.h.
#include "tests/support/keys.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

namespace ruroco::test {

wire::Key copy_key(const wire::Key& key) {
    std::uint8_t material[wire::kKeyMaterialSize];
    std::memcpy(material, key.id().data(), wire::kKeyIdSize);
    std::memcpy(material + wire::kKeyIdSize, key.secret(), wire::kSecretKeySize);
    Result<wire::Key> copy = wire::Key::from_material(material);
    sodium_memzero(material, sizeof material);
    if (!copy) std::abort();
    return std::move(*copy);
}

}  // namespace ruroco::test
