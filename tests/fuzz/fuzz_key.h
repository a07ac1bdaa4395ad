// The fixed key the fuzz targets share: the key of tests/data/wire-v1.json (bytes 1 to 40),
// so the seed packets from that file open, and libsodium is initialised before it is built.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "wire/key.h"
#include "wire/sizes.h"

namespace ruroco::fuzz {

inline wire::Key fixed_key() {
    if (!wire::crypto_init()) std::abort();
    std::uint8_t material[wire::kKeyMaterialSize];
    for (std::size_t i = 0; i < sizeof material; ++i) material[i] = static_cast<std::uint8_t>(i + 1);
    auto key = wire::Key::from_material(material);
    if (!key) std::abort();
    return std::move(key.value());
}

}  // namespace ruroco::fuzz
