// Key file text (PROTOCOL.md 7): one line of base64 of key_id + key, held in guarded memory.
#include "wire/key.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <set>
#include <string>

using namespace ruroco;
using namespace ruroco::wire;

namespace {

// base64 of the bytes 1, 2, ..., 40: key id 0102030405060708, then the 32-byte key.
const std::string kCounting = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKA==";

}  // namespace

TEST_CASE("key id is the first 8 bytes, the key the other 32", "[wire][key]") {
    Result<Key> key = Key::parse_file_text(kCounting);
    REQUIRE(key.ok());
    CHECK(key->id_hex() == "0102030405060708");
    for (std::size_t i = 0; i < kSecretKeySize; ++i) CHECK(key->secret()[i] == 9 + i);

    std::uint8_t material[kKeyMaterialSize];
    for (std::size_t i = 0; i < kKeyMaterialSize; ++i) material[i] = static_cast<std::uint8_t>(i + 1);
    Result<Key> same = Key::from_material(material);
    REQUIRE(same.ok());
    char text[kKeyFileTextSize + 1];
    same->format_file_text(text);
    CHECK(std::string(text) == kCounting + "\n");
}

TEST_CASE("a generated key round-trips through its file text", "[wire][key]") {
    Key a = std::move(Key::generate().value());
    char text[kKeyFileTextSize + 1];
    a.format_file_text(text);
    CHECK(std::strlen(text) == 57);
    CHECK(text[56] == '\n');
    Result<Key> back = Key::parse_file_text(text);
    REQUIRE(back.ok());
    CHECK(back->id() == a.id());
    CHECK(std::memcmp(back->secret(), a.secret(), kSecretKeySize) == 0);
}

TEST_CASE("generated keys have distinct ids and secrets", "[wire][key]") {
    std::set<std::string> ids;
    for (int i = 0; i < 32; ++i) {
        Key k = std::move(Key::generate().value());
        ids.insert(k.id_hex());
    }
    CHECK(ids.size() == 32);
    Key a = std::move(Key::generate().value());
    Key b = std::move(Key::generate().value());
    CHECK(std::memcmp(a.secret(), b.secret(), kSecretKeySize) != 0);
}

TEST_CASE("a trailing newline, CRLF or surrounding blanks are accepted", "[wire][key]") {
    for (const std::string& ok :
         {kCounting, kCounting + "\n", kCounting + "\r\n", "  " + kCounting + "\t\n"}) {
        INFO(ok);
        Result<Key> key = Key::parse_file_text(ok);
        REQUIRE(key.ok());
        CHECK(key->id_hex() == "0102030405060708");
    }
}

TEST_CASE("key text that is not one line of base64 of 40 bytes is refused", "[wire][key][negative]") {
    const std::string& good = kCounting;
    for (const std::string& bad : {
             std::string(""),            // empty
             good.substr(0, 55),         // wrong length: short
             good + "A",                 // wrong length: long
             good.substr(0, 52) + "KA",  // no padding
             "!" + good.substr(1),       // not base64
             good.substr(0, 20) + "*" + good.substr(21),
             good.substr(0, 20) + "-" + good.substr(21),   // URL-safe alphabet, not standard
             good + "\nAAAA",                              // trailing garbage on a second line
             good + " x",                                  // trailing garbage on the line
             good.substr(0, 53) + "B==",                   // non-zero bits in the padding
             std::string(56, 'A'),                         // 42 bytes, not 40
             good.substr(0, 28) + "\n" + good.substr(28),  // split over two lines
         }) {
        INFO("'" << bad << "'");
        Result<Key> key = Key::parse_file_text(bad);
        REQUIRE_FALSE(key.ok());
        CHECK(key.error().find("not a ruroco key") != std::string::npos);
    }
}

TEST_CASE("a moved-from key gives up its secret; the moved-to key keeps it", "[wire][key]") {
    Key a = std::move(Key::parse_file_text(kCounting).value());
    Key b = std::move(a);
    CHECK(a.secret() == nullptr);
    REQUIRE(b.secret() != nullptr);
    CHECK(b.secret()[0] == 9);
    Key c = std::move(Key::generate().value());
    c = std::move(b);
    CHECK(c.id_hex() == "0102030405060708");
    CHECK(c.secret()[31] == 40);
}
