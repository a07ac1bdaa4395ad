// Every size on the wire, named once. PROTOCOL.md sections 1, 2, 6 and 7 in constants.
#pragma once

#include <cstddef>

namespace ruroco::wire {

// The UDP datagram (PROTOCOL.md 1).
inline constexpr std::size_t kKeyIdSize = 8;
inline constexpr std::size_t kNonceSize = 12;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kPlaintextSize = 58;
inline constexpr std::size_t kPacketSize = 94;
inline constexpr std::size_t kKeyIdOffset = 0;
inline constexpr std::size_t kNonceOffset = kKeyIdOffset + kKeyIdSize;
inline constexpr std::size_t kTagOffset = kNonceOffset + kNonceSize;
inline constexpr std::size_t kCiphertextOffset = kTagOffset + kTagSize;
static_assert(kKeyIdSize + kNonceSize + kTagSize + kPlaintextSize == kPacketSize);
static_assert(kCiphertextOffset + kPlaintextSize == kPacketSize);

// The plaintext, ClientData (PROTOCOL.md 2), big-endian.
inline constexpr std::size_t kIpSize = 16;
inline constexpr std::size_t kVersionOffset = 0;
inline constexpr std::size_t kCmdHashOffset = 1;
inline constexpr std::size_t kCounterOffset = 9;
inline constexpr std::size_t kStrictOffset = 25;
inline constexpr std::size_t kSrcIpOffset = 26;
inline constexpr std::size_t kDstIpOffset = 42;
static_assert(kCmdHashOffset == kVersionOffset + 1);
static_assert(kCounterOffset == kCmdHashOffset + 8);
static_assert(kStrictOffset == kCounterOffset + 16);
static_assert(kSrcIpOffset == kStrictOffset + 1);
static_assert(kDstIpOffset == kSrcIpOffset + kIpSize);
static_assert(kDstIpOffset + kIpSize == kPlaintextSize);

inline constexpr unsigned kProtocolVersion = 1;

// The commander message (PROTOCOL.md 6).
inline constexpr std::size_t kCommanderMessageSize = 24;
static_assert(8 + kIpSize == kCommanderMessageSize);

// Key material (PROTOCOL.md 7).
inline constexpr std::size_t kSecretKeySize = 32;
inline constexpr std::size_t kKeyMaterialSize = kKeyIdSize + kSecretKeySize;
static_assert(kKeyMaterialSize == 40);

}  // namespace ruroco::wire
