// Big-endian integer stores and loads: the protocol's only integer encoding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ruroco::wire {

using u128 = unsigned __int128;

inline void store_be64(std::uint8_t* out, std::uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<std::uint8_t>(v & 0xff);
}

inline std::uint64_t load_be64(const std::uint8_t* in) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
    return v;
}

inline void store_be128(std::uint8_t* out, u128 v) {
    for (int i = 15; i >= 0; --i, v >>= 8) out[i] = static_cast<std::uint8_t>(v & 0xff);
}

inline u128 load_be128(const std::uint8_t* in) {
    u128 v = 0;
    for (int i = 0; i < 16; ++i) v = (v << 8) | in[i];
    return v;
}

}  // namespace ruroco::wire
