// The 94-byte datagram and its 58-byte plaintext (PROTOCOL.md 1 and 2): encode, seal, open.
// Pure functions over fixed-size buffers; nothing here allocates or does I/O, so the server's
// per-datagram path can call it freely.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wire/bytes.h"
#include "wire/drop_reason.h"
#include "wire/ip.h"
#include "wire/key.h"
#include "wire/keyring.h"
#include "wire/sizes.h"

namespace ruroco::wire {

using Packet = std::array<std::uint8_t, kPacketSize>;
using Plaintext = std::array<std::uint8_t, kPlaintextSize>;
using Nonce = std::array<std::uint8_t, kNonceSize>;

struct ClientData {
    std::uint64_t cmd_hash = 0;
    u128 counter = 0;
    bool strict = true;
    Ip src_ip;  // all zeros: none claimed
    Ip dst_ip;
};

// version is a parameter only so tests can build packets of other versions.
Plaintext encode_plaintext(const ClientData& data, std::uint8_t version = kProtocolVersion);
// Step 5: bad_plaintext unless version == 1 and strict is 0 or 1; none on success.
DropReason decode_plaintext(const Plaintext& plaintext, ClientData& out);

// Seals with a fresh nonce from libsodium's CSPRNG.
Packet seal_packet(const Key& key, const ClientData& data);
// Seals an already encoded plaintext with the given nonce (tests and vectors).
Packet seal_plaintext(const Key& key, const Plaintext& plaintext, const Nonce& nonce);

KeyId packet_key_id(const Packet& packet);

// Steps 3 to 5 on a datagram already known to be 94 bytes: unknown_key, bad_tag,
// bad_plaintext, or none with out filled.
DropReason open_packet(const Packet& packet, const KeyRing& keys, ClientData& out);

// Steps 1 and 3 to 5 on a datagram of any size (the server rate-limits between 1 and 3).
DropReason decode_datagram(const std::uint8_t* data, std::size_t size, const KeyRing& keys,
                           ClientData& out);

}  // namespace ruroco::wire
