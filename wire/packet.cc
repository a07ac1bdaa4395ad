// Packet layout and AEAD: see packet.h. ChaCha20-Poly1305 IETF, detached tag, AD = key_id.
#include "wire/packet.h"

#include <sodium.h>

#include <cstring>

namespace ruroco::wire {

Plaintext encode_plaintext(const ClientData& data, std::uint8_t version) {
    Plaintext p{};
    p[kVersionOffset] = version;
    store_be64(p.data() + kCmdHashOffset, data.cmd_hash);
    store_be128(p.data() + kCounterOffset, data.counter);
    p[kStrictOffset] = data.strict ? 1 : 0;
    std::memcpy(p.data() + kSrcIpOffset, data.src_ip.bytes.data(), kIpSize);
    std::memcpy(p.data() + kDstIpOffset, data.dst_ip.bytes.data(), kIpSize);
    return p;
}

DropReason decode_plaintext(const Plaintext& p, ClientData& out) {
    if (p[kVersionOffset] != kProtocolVersion) return DropReason::bad_plaintext;
    if (p[kStrictOffset] > 1) return DropReason::bad_plaintext;
    out.cmd_hash = load_be64(p.data() + kCmdHashOffset);
    out.counter = load_be128(p.data() + kCounterOffset);
    out.strict = p[kStrictOffset] == 1;
    std::memcpy(out.src_ip.bytes.data(), p.data() + kSrcIpOffset, kIpSize);
    std::memcpy(out.dst_ip.bytes.data(), p.data() + kDstIpOffset, kIpSize);
    return DropReason::none;
}

Packet seal_plaintext(const Key& key, const Plaintext& plaintext, const Nonce& nonce) {
    Packet packet{};
    std::memcpy(packet.data() + kKeyIdOffset, key.id().data(), kKeyIdSize);
    std::memcpy(packet.data() + kNonceOffset, nonce.data(), kNonceSize);
    unsigned long long tag_size = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(
        packet.data() + kCiphertextOffset, packet.data() + kTagOffset, &tag_size,
        plaintext.data(), plaintext.size(), packet.data() + kKeyIdOffset, kKeyIdSize, nullptr,
        nonce.data(), key.secret());
    return packet;
}

Packet seal_packet(const Key& key, const ClientData& data) {
    Nonce nonce;
    randombytes_buf(nonce.data(), nonce.size());
    Plaintext plaintext = encode_plaintext(data);
    Packet packet = seal_plaintext(key, plaintext, nonce);
    sodium_memzero(plaintext.data(), plaintext.size());
    return packet;
}

KeyId packet_key_id(const Packet& packet) {
    KeyId id;
    std::memcpy(id.data(), packet.data() + kKeyIdOffset, kKeyIdSize);
    return id;
}

DropReason open_packet(const Packet& packet, const KeyRing& keys, ClientData& out) {
    const Key* key = keys.find(packet_key_id(packet));
    if (key == nullptr) return DropReason::unknown_key;
    Plaintext plaintext;
    if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(
            plaintext.data(), nullptr, packet.data() + kCiphertextOffset, kPlaintextSize,
            packet.data() + kTagOffset, packet.data() + kKeyIdOffset, kKeyIdSize,
            packet.data() + kNonceOffset, key->secret()) != 0) {
        return DropReason::bad_tag;
    }
    DropReason reason = decode_plaintext(plaintext, out);
    sodium_memzero(plaintext.data(), plaintext.size());
    return reason;
}

DropReason decode_datagram(const std::uint8_t* data, std::size_t size, const KeyRing& keys,
                           ClientData& out) {
    if (size != kPacketSize) return DropReason::bad_size;
    Packet packet;
    std::memcpy(packet.data(), data, kPacketSize);
    return open_packet(packet, keys, out);
}

}  // namespace ruroco::wire
