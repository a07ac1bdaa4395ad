// The 94-byte packet and the 58-byte plaintext: every field at its offset, big-endian, and
// every rejection of the decoder with its reason.
#include "wire/packet.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <set>
#include <string>

#include "wire/hash.h"
#include "wire/hex.h"

using namespace ruroco;
using namespace ruroco::wire;

namespace {

ClientData distinctive() {
    ClientData d;
    d.cmd_hash = 0x0102030405060708ull;
    d.counter = (static_cast<u128>(0x1112131415161718ull) << 64) | 0x191a1b1c1d1e1f20ull;
    d.strict = true;
    d.src_ip = *Ip::parse("2001:db8::1");
    d.dst_ip = *Ip::parse("203.0.113.9");
    return d;
}

std::string hex_at(const std::uint8_t* p, std::size_t offset, std::size_t size) {
    return to_hex(p + offset, size);
}

Key test_key(std::uint8_t fill) {
    std::uint8_t material[kKeyMaterialSize];
    std::memset(material, fill, sizeof material);
    return std::move(Key::from_material(material).value());
}

}  // namespace

TEST_CASE("sizes.h holds PROTOCOL.md's numbers", "[wire][packet]") {
    STATIC_REQUIRE(kPacketSize == 94);
    STATIC_REQUIRE(kKeyIdOffset == 0);
    STATIC_REQUIRE(kNonceOffset == 8);
    STATIC_REQUIRE(kTagOffset == 20);
    STATIC_REQUIRE(kCiphertextOffset == 36);
    STATIC_REQUIRE(kPlaintextSize == 58);
    STATIC_REQUIRE(kVersionOffset == 0);
    STATIC_REQUIRE(kCmdHashOffset == 1);
    STATIC_REQUIRE(kCounterOffset == 9);
    STATIC_REQUIRE(kStrictOffset == 25);
    STATIC_REQUIRE(kSrcIpOffset == 26);
    STATIC_REQUIRE(kDstIpOffset == 42);
    STATIC_REQUIRE(kCommanderMessageSize == 24);
    STATIC_REQUIRE(kKeyMaterialSize == 40);
}

TEST_CASE("plaintext fields sit at their offsets, big-endian", "[wire][packet]") {
    Plaintext p = encode_plaintext(distinctive());
    REQUIRE(p.size() == 58);
    CHECK(p[kVersionOffset] == 1);
    CHECK(hex_at(p.data(), kCmdHashOffset, 8) == "0102030405060708");
    CHECK(hex_at(p.data(), kCounterOffset, 16) == "1112131415161718191a1b1c1d1e1f20");
    CHECK(p[kStrictOffset] == 1);
    CHECK(hex_at(p.data(), kSrcIpOffset, 16) == "20010db8000000000000000000000001");
    CHECK(hex_at(p.data(), kDstIpOffset, 16) == "00000000000000000000ffffcb007109");
    // The whole buffer, so no byte is left unpinned.
    CHECK(to_hex(p.data(), p.size()) ==
          "01"
          "0102030405060708"
          "1112131415161718191a1b1c1d1e1f20"
          "01"
          "20010db8000000000000000000000001"
          "00000000000000000000ffffcb007109");

    ClientData permissive = distinctive();
    permissive.strict = false;
    permissive.src_ip = Ip{};
    Plaintext q = encode_plaintext(permissive);
    CHECK(q[kStrictOffset] == 0);
    CHECK(hex_at(q.data(), kSrcIpOffset, 16) == std::string(32, '0'));
}

TEST_CASE("a little-endian reading would differ: the byte order is pinned", "[wire][packet]") {
    ClientData d = distinctive();
    d.cmd_hash = 1;
    d.counter = 1;
    Plaintext p = encode_plaintext(d);
    CHECK(p[kCmdHashOffset + 7] == 1);
    CHECK(p[kCmdHashOffset] == 0);
    CHECK(p[kCounterOffset + 15] == 1);
    CHECK(p[kCounterOffset] == 0);
}

TEST_CASE("decoding hand-built plaintext bytes gives the fields", "[wire][packet]") {
    Plaintext p{};
    p[0] = 1;
    for (int i = 0; i < 8; ++i) p[1 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0xa0 + i);
    p[9 + 15] = 0x2a;
    p[25] = 0;
    p[42 + 10] = 0xff;
    p[42 + 11] = 0xff;
    p[42 + 12] = 127;
    p[42 + 15] = 1;
    ClientData d;
    REQUIRE(decode_plaintext(p, d) == DropReason::none);
    CHECK(d.cmd_hash == 0xa0a1a2a3a4a5a6a7ull);
    CHECK(d.counter == 0x2a);
    CHECK_FALSE(d.strict);
    CHECK(d.src_ip.is_zero());
    CHECK(d.dst_ip.to_string() == "127.0.0.1");
}

TEST_CASE("packet layout: key id, nonce, tag, ciphertext", "[wire][packet]") {
    Key key = test_key(7);
    Nonce nonce;
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(0x50 + i);
    Packet packet = seal_plaintext(key, encode_plaintext(distinctive()), nonce);
    CHECK(hex_at(packet.data(), 0, 8) == key.id_hex());
    CHECK(hex_at(packet.data(), 8, 12) == to_hex(nonce.data(), nonce.size()));
    CHECK(packet_key_id(packet) == key.id());
    // The ciphertext is not the plaintext.
    Plaintext plain = encode_plaintext(distinctive());
    CHECK(std::memcmp(packet.data() + 36, plain.data(), 58) != 0);
}

TEST_CASE("seal then open round-trips, with a fresh nonce each time", "[wire][packet]") {
    Key key = test_key(3);
    KeyRing ring;
    REQUIRE(ring.add(test_key(3)));
    Packet a = seal_packet(key, distinctive());
    Packet b = seal_packet(key, distinctive());
    CHECK(a != b);
    CHECK(std::memcmp(a.data() + kNonceOffset, b.data() + kNonceOffset, kNonceSize) != 0);
    ClientData d;
    REQUIRE(open_packet(a, ring, d) == DropReason::none);
    CHECK(d.cmd_hash == distinctive().cmd_hash);
    CHECK(d.counter == distinctive().counter);
    CHECK(d.src_ip == distinctive().src_ip);
    CHECK(d.dst_ip == distinctive().dst_ip);
}

TEST_CASE("the decoder rejects each bad input for its reason", "[wire][packet][negative]") {
    Key key = test_key(1);
    KeyRing ring;
    REQUIRE(ring.add(test_key(1)));
    REQUIRE(ring.add(test_key(2)));
    Packet good = seal_packet(key, distinctive());
    ClientData d;

    SECTION("bad_size for every length but 94") {
        std::uint8_t big[1000] = {};
        std::memcpy(big, good.data(), good.size());
        for (std::size_t size : {0u, 1u, 93u, 95u, 1000u}) {
            CHECK(decode_datagram(big, size, ring, d) == DropReason::bad_size);
        }
        CHECK(decode_datagram(big, 94, ring, d) == DropReason::none);
    }
    SECTION("unknown_key") {
        Packet p = good;
        p[0] ^= 0xff;
        CHECK(decode_datagram(p.data(), p.size(), ring, d) == DropReason::unknown_key);
    }
    SECTION("bad_tag for a flipped bit anywhere after the key id") {
        for (std::size_t offset : {kNonceOffset, kNonceOffset + 11, kTagOffset, kTagOffset + 15,
                                   kCiphertextOffset, std::size_t{93}}) {
            Packet p = good;
            p[offset] ^= 0x01;
            INFO("offset " << offset);
            CHECK(decode_datagram(p.data(), p.size(), ring, d) == DropReason::bad_tag);
        }
    }
    SECTION("bad_tag when the key id is relabelled to another loaded key (AD binds it)") {
        Packet p = good;
        Key other = test_key(2);
        std::memcpy(p.data(), other.id().data(), kKeyIdSize);
        CHECK(decode_datagram(p.data(), p.size(), ring, d) == DropReason::bad_tag);
    }
    SECTION("bad_plaintext for versions other than 1 and strict bytes other than 0 and 1") {
        Nonce nonce{};
        for (int version : {0, 2, 255}) {
            Packet p = seal_plaintext(
                key, encode_plaintext(distinctive(), static_cast<std::uint8_t>(version)), nonce);
            CHECK(open_packet(p, ring, d) == DropReason::bad_plaintext);
        }
        for (int strict : {2, 255}) {
            Plaintext plain = encode_plaintext(distinctive());
            plain[kStrictOffset] = static_cast<std::uint8_t>(strict);
            Packet p = seal_plaintext(key, plain, nonce);
            CHECK(open_packet(p, ring, d) == DropReason::bad_plaintext);
        }
    }
}

TEST_CASE("a packet built by hand with libsodium at the spec's offsets decodes", "[wire][packet]") {
    Key key = test_key(9);
    KeyRing ring;
    REQUIRE(ring.add(test_key(9)));
    // Plaintext straight from PROTOCOL.md 2, not from encode_plaintext.
    std::string plain_hex = std::string("01") + "a1a2a3a4a5a6a7a8" + "000000000000000000000000000003e8" +
                            "01" + "00000000000000000000ffffc0000201" + "20010db8000000000000000000000007";
    std::vector<std::uint8_t> plain = *from_hex(plain_hex);
    REQUIRE(plain.size() == 58);
    std::uint8_t packet[94] = {};
    std::memcpy(packet, key.id().data(), 8);
    for (std::size_t i = 0; i < 12; ++i) packet[8 + i] = static_cast<std::uint8_t>(0xc0 + i);
    unsigned long long tag_size = 0;
    REQUIRE(crypto_aead_chacha20poly1305_ietf_encrypt_detached(packet + 36, packet + 20, &tag_size,
                                                               plain.data(), 58, packet, 8, nullptr,
                                                               packet + 8, key.secret()) == 0);
    REQUIRE(tag_size == 16);
    ClientData d;
    REQUIRE(decode_datagram(packet, sizeof packet, ring, d) == DropReason::none);
    CHECK(d.cmd_hash == 0xa1a2a3a4a5a6a7a8ull);
    CHECK(d.counter == 1000);
    CHECK(d.strict);
    CHECK(d.src_ip.to_string() == "192.0.2.1");
    CHECK(d.dst_ip.to_string() == "2001:db8::7");
}

TEST_CASE("our sealed packet opens with libsodium at the spec's offsets, AD = key id", "[wire][packet]") {
    Key key = test_key(4);
    Plaintext plain = encode_plaintext(distinctive());
    Packet p = seal_packet(key, distinctive());
    std::uint8_t out[58];
    REQUIRE(crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, nullptr, p.data() + 36, 58, p.data() + 20,
                                                               p.data(), 8, p.data() + 8, key.secret()) == 0);
    CHECK(std::memcmp(out, plain.data(), 58) == 0);
    // Without the key id as associated data the tag does not verify.
    CHECK(crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, nullptr, p.data() + 36, 58, p.data() + 20,
                                                             nullptr, 0, p.data() + 8, key.secret()) != 0);
}

TEST_CASE("a rejected datagram fills in nothing", "[wire][packet][negative]") {
    Key key = test_key(5);
    KeyRing ring;
    REQUIRE(ring.add(test_key(5)));
    Packet p = seal_packet(key, distinctive());
    p[kCiphertextOffset + 3] ^= 0x80;
    ClientData d;
    d.cmd_hash = 77;
    REQUIRE(open_packet(p, ring, d) == DropReason::bad_tag);
    CHECK(d.cmd_hash == 77);
    CHECK(d.counter == 0);
    CHECK(d.dst_ip.is_zero());

    Packet v2 = seal_plaintext(key, encode_plaintext(distinctive(), 2), Nonce{});
    REQUIRE(open_packet(v2, ring, d) == DropReason::bad_plaintext);
    CHECK(d.cmd_hash == 77);
    CHECK(d.dst_ip.is_zero());
}

TEST_CASE("strict 0 with no claimed source is accepted as permissive", "[wire][packet]") {
    Key key = test_key(6);
    KeyRing ring;
    REQUIRE(ring.add(test_key(6)));
    ClientData in = distinctive();
    in.strict = false;
    in.src_ip = Ip{};
    in.counter = ~static_cast<u128>(0);
    Packet p = seal_packet(key, in);
    ClientData d;
    REQUIRE(decode_datagram(p.data(), p.size(), ring, d) == DropReason::none);
    CHECK_FALSE(d.strict);
    CHECK(d.src_ip.is_zero());
    CHECK(d.counter == ~static_cast<u128>(0));
}

TEST_CASE("an empty key ring knows no key", "[wire][packet][negative]") {
    KeyRing ring;
    Packet p = seal_packet(test_key(8), distinctive());
    ClientData d;
    CHECK(decode_datagram(p.data(), p.size(), ring, d) == DropReason::unknown_key);
    CHECK(decode_datagram(nullptr, 0, ring, d) == DropReason::bad_size);
}

TEST_CASE("every drop reason has its own name, as the logs and the vectors spell it", "[wire][packet]") {
    CHECK(drop_reason_name(DropReason::bad_size) == "bad_size");
    CHECK(drop_reason_name(DropReason::rate_limited) == "rate_limited");
    CHECK(drop_reason_name(DropReason::unknown_key) == "unknown_key");
    CHECK(drop_reason_name(DropReason::bad_tag) == "bad_tag");
    CHECK(drop_reason_name(DropReason::bad_plaintext) == "bad_plaintext");
    CHECK(drop_reason_name(DropReason::stale) == "stale");
    CHECK(drop_reason_name(DropReason::future) == "future");
    CHECK(drop_reason_name(DropReason::replay) == "replay");
    CHECK(drop_reason_name(DropReason::wrong_destination) == "wrong_destination");
    CHECK(drop_reason_name(DropReason::wrong_source) == "wrong_source");
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < kDropReasonCount; ++i)
        names.insert(drop_reason_name(static_cast<DropReason>(i)));
    CHECK(names.size() == kDropReasonCount);
}
