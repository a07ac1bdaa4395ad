// The command hash: Blake2b with an 8-byte digest (digest length 8 in the parameter block, not
// a truncated longer digest), read big-endian. libsodium cannot emit fewer than 16 bytes,
// hence libb2.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ruroco::wire {

std::uint64_t command_hash(std::string_view command_name);
// 16 lowercase hex digits, as `b2sum -l 64` prints them.
std::string hash_to_hex(std::uint64_t hash);

}  // namespace ruroco::wire
