// Key text, guarded memory, hashes and the commander message.
#include <catch2/catch.hpp>

#include <cstring>

#include "wire/commander_message.h"
#include "wire/decimal.h"
#include "wire/hash.h"
#include "wire/key.h"

using namespace ruroco;
using namespace ruroco::wire;

TEST_CASE("a generated key round-trips through its file text", "[wire][key]") {
    Key a = std::move(Key::generate().value());
    Key b = std::move(Key::generate().value());
    CHECK(a.id() != b.id());
    char text[kKeyFileTextSize + 1];
    a.format_file_text(text);
    CHECK(std::strlen(text) == 57);
    CHECK(text[56] == '\n');
    Result<Key> back = Key::parse_file_text(text);
    REQUIRE(back.ok());
    CHECK(back->id() == a.id());
    CHECK(std::memcmp(back->secret(), a.secret(), kSecretKeySize) == 0);
}

TEST_CASE("key text that is not one line of base64 of 40 bytes is refused", "[wire][key][negative]") {
    const std::string good = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKA==";
    REQUIRE(Key::parse_file_text(good).ok());
    REQUIRE(Key::parse_file_text(good + "\r\n").ok());
    for (const std::string& bad : {std::string(""), good.substr(0, 55), good + "A", "!" + good.substr(1),
                                   good.substr(0, 54) + "A=", good + "\nAAAA"}) {
        INFO(bad);
        CHECK_FALSE(Key::parse_file_text(bad).ok());
    }
}

TEST_CASE("command hashes are Blake2b with an 8-byte digest", "[wire][hash]") {
    CHECK(hash_to_hex(command_hash("default")) == "fe98b07b1ba6b3a2");
    CHECK(hash_to_hex(command_hash("")) == "e4a6a0577479b2b4");
}

TEST_CASE("the commander message is 24 bytes and refuses anything else", "[wire][commander][negative]") {
    CommanderMessage m{0x5aea07630f1c6490ull, *Ip::parse("2001:db8::42")};
    CommanderMessageBytes bytes = encode_commander_message(m);
    for (std::size_t size : {0u, 23u, 25u}) {
        auto r = decode_commander_message(bytes.data(), size);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("expected 24") != std::string::npos);
    }
    CommanderMessageBytes zero_ip = encode_commander_message({1, Ip{}});
    auto r = decode_commander_message(zero_ip.data(), zero_ip.size());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("all-zero IP") != std::string::npos);
}

TEST_CASE("u128 decimal text round-trips and refuses overflow", "[wire][decimal]") {
    u128 max = ~static_cast<u128>(0);
    CHECK(u128_to_string(max) == "340282366920938463463374607431768211455");
    u128 back = 0;
    CHECK(u128_from_string("340282366920938463463374607431768211455", back));
    CHECK(back == max);
    CHECK_FALSE(u128_from_string("340282366920938463463374607431768211456", back));
    CHECK_FALSE(u128_from_string("12a", back));
    CHECK_FALSE(u128_from_string("", back));
    CHECK(u128_to_string(0) == "0");
}
