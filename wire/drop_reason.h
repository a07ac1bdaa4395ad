// Why a datagram was dropped: one value per check of PROTOCOL.md section 3, in its order.
#pragma once

#include <cstddef>
#include <string_view>

namespace ruroco::wire {

enum class DropReason : unsigned char {
    none = 0,  // accepted
    bad_size,
    rate_limited,
    unknown_key,
    bad_tag,
    bad_plaintext,
    stale,
    future,
    replay,
    wrong_destination,
    wrong_source,
    count,  // not a reason: the number of slots a counter array needs
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(DropReason::count);

std::string_view drop_reason_name(DropReason reason);

}  // namespace ruroco::wire
