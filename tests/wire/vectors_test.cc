// The packets in tests/data/wire-v1.json were made by an independent implementation: every
// valid one must decode to its listed fields (and re-seal byte for byte with its nonce), every
// invalid one must be rejected for its listed reason, every hash and commander message match.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "wire/commander_message.h"
#include "wire/decimal.h"
#include "wire/hash.h"
#include "wire/hex.h"
#include "wire/keyring.h"
#include "wire/packet.h"

using namespace ruroco;
using json = nlohmann::json;

namespace {

json load_vectors() {
    std::ifstream in(test::test_data("wire-v1.json"));
    REQUIRE(in.good());
    return json::parse(in);
}

std::vector<std::uint8_t> bytes_of(const std::string& hex) {
    Result<std::vector<std::uint8_t>> bytes = wire::from_hex(hex);
    REQUIRE(bytes.ok());
    return *bytes;
}

// Parsed here rather than with wire/decimal.h, so the vectors do not lean on the code under test.
wire::u128 parse_u128(const std::string& text) {
    REQUIRE(!text.empty());
    REQUIRE(text.size() <= 39);
    wire::u128 v = 0;
    for (char c : text) {
        REQUIRE((c >= '0' && c <= '9'));
        wire::u128 next = v * 10 + static_cast<unsigned>(c - '0');
        REQUIRE(next / 10 == v);  // no wrap past 2^128 - 1
        v = next;
    }
    return v;
}

wire::Ip ip_or_zero(const json& value) {
    if (value.is_null()) return wire::Ip{};
    Result<wire::Ip> ip = wire::Ip::parse(value.get<std::string>());
    REQUIRE(ip.ok());
    return *ip;
}

wire::KeyRing vector_ring(const json& v) {
    Result<wire::Key> key = wire::Key::parse_file_text(v["key"].get<std::string>());
    REQUIRE(key.ok());
    wire::KeyRing ring;
    REQUIRE(ring.add(std::move(*key)));
    return ring;
}

}  // namespace

TEST_CASE("the vectors' key parses and has the listed id", "[wire][vectors]") {
    json v = load_vectors();
    Result<wire::Key> key = wire::Key::parse_file_text(v["key"].get<std::string>());
    REQUIRE(key.ok());
    CHECK(key->id_hex() == v["key_id_hex"].get<std::string>());
}

TEST_CASE("every valid vector decodes to its listed fields", "[wire][vectors]") {
    json v = load_vectors();
    wire::KeyRing ring = vector_ring(v);
    REQUIRE(v["valid_packets"].size() == 4);
    for (const json& p : v["valid_packets"]) {
        INFO("command " << p["command"].get<std::string>());
        std::vector<std::uint8_t> packet = bytes_of(p["packet_hex"].get<std::string>());
        wire::ClientData d;
        REQUIRE(wire::decode_datagram(packet.data(), packet.size(), ring, d) == wire::DropReason::none);
        CHECK(wire::hash_to_hex(d.cmd_hash) == p["cmd_hash_hex"].get<std::string>());
        CHECK(d.cmd_hash == wire::command_hash(p["command"].get<std::string>()));
        CHECK(d.counter == parse_u128(p["counter"].get<std::string>()));
        CHECK(wire::u128_to_string(d.counter) == p["counter"].get<std::string>());
        CHECK(d.strict == p["strict"].get<bool>());
        CHECK(d.src_ip == ip_or_zero(p["src_ip"]));
        CHECK(d.dst_ip == ip_or_zero(p["dst_ip"]));
    }
}

TEST_CASE("re-sealing each valid vector's plaintext with its nonce gives the same bytes", "[wire][vectors]") {
    json v = load_vectors();
    wire::KeyRing ring = vector_ring(v);
    Result<wire::Key> key = wire::Key::parse_file_text(v["key"].get<std::string>());
    REQUIRE(key.ok());
    for (const json& p : v["valid_packets"]) {
        std::vector<std::uint8_t> packet = bytes_of(p["packet_hex"].get<std::string>());
        wire::ClientData d;
        d.cmd_hash = wire::command_hash(p["command"].get<std::string>());
        d.counter = parse_u128(p["counter"].get<std::string>());
        d.strict = p["strict"].get<bool>();
        d.src_ip = ip_or_zero(p["src_ip"]);
        d.dst_ip = ip_or_zero(p["dst_ip"]);
        wire::Nonce nonce;
        std::copy(packet.begin() + wire::kNonceOffset, packet.begin() + wire::kTagOffset, nonce.begin());
        wire::Packet ours = wire::seal_plaintext(*key, wire::encode_plaintext(d), nonce);
        CHECK(wire::to_hex(ours.data(), ours.size()) == p["packet_hex"].get<std::string>());
    }
}

TEST_CASE("every invalid vector is rejected for its listed reason", "[wire][vectors]") {
    json v = load_vectors();
    wire::KeyRing ring = vector_ring(v);
    REQUIRE(v["invalid_packets"].size() == 8);
    for (const json& p : v["invalid_packets"]) {
        std::string why = p["why"].get<std::string>();
        INFO(why << " " << p.value("note", ""));
        std::vector<std::uint8_t> packet = bytes_of(p["packet_hex"].get<std::string>());
        wire::ClientData d;
        CHECK(std::string(wire::drop_reason_name(
                  wire::decode_datagram(packet.data(), packet.size(), ring, d))) == why);
    }
}

TEST_CASE("every Blake2b-64 vector matches", "[wire][vectors]") {
    json v = load_vectors();
    REQUIRE(v["blake2b64"].size() >= 6);
    for (const json& h : v["blake2b64"]) {
        CHECK(wire::hash_to_hex(wire::command_hash(h["name"].get<std::string>())) ==
              h["blake2b64_hex"].get<std::string>());
    }
}

TEST_CASE("every commander message vector matches, both ways", "[wire][vectors]") {
    json v = load_vectors();
    for (const json& m : v["commander_messages"]) {
        wire::CommanderMessage message{wire::command_hash(m["command"].get<std::string>()),
                                       ip_or_zero(m["ip"])};
        wire::CommanderMessageBytes bytes = wire::encode_commander_message(message);
        CHECK(wire::to_hex(bytes.data(), bytes.size()) == m["message_hex"].get<std::string>());
        Result<wire::CommanderMessage> decoded = wire::decode_commander_message(bytes.data(), bytes.size());
        REQUIRE(decoded.ok());
        CHECK(decoded->cmd_hash == message.cmd_hash);
        CHECK(decoded->ip == message.ip);
    }
}
