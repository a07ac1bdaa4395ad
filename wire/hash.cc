// Blake2b-64 of a command name: see hash.h.
#include "wire/hash.h"

#include <blake2.h>

#include <cstdio>

#include "wire/bytes.h"

namespace ruroco::wire {

std::uint64_t command_hash(std::string_view command_name) {
    std::uint8_t digest[8];
    blake2b(digest, command_name.data(), nullptr, sizeof digest, command_name.size(), 0);
    return load_be64(digest);
}

std::string hash_to_hex(std::uint64_t hash) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

}  // namespace ruroco::wire
