// The command hash: Blake2b with digest length 8 in the parameter block, read big-endian.
#include "wire/hash.h"

#include <sodium.h>

#include <catch2/catch.hpp>

#include "wire/bytes.h"
#include "wire/hex.h"

using namespace ruroco::wire;

TEST_CASE("command hashes match b2sum -l 64", "[wire][hash]") {
    // printf NAME | b2sum -l 64
    CHECK(hash_to_hex(command_hash("default")) == "fe98b07b1ba6b3a2");
    CHECK(hash_to_hex(command_hash("")) == "e4a6a0577479b2b4");
    CHECK(command_hash("default") == 0xfe98b07b1ba6b3a2ull);  // read big-endian
}

TEST_CASE("the hash is an 8-byte digest, not a cut-down longer one", "[wire][hash]") {
    // With digest length 16 or 64 in the parameter block, every output byte changes; a
    // truncating implementation would match one of these.
    for (std::size_t length : {std::size_t{16}, std::size_t{32}, std::size_t{64}}) {
        unsigned char digest[64];
        REQUIRE(crypto_generichash(digest, length, reinterpret_cast<const unsigned char*>("default"), 7,
                                   nullptr, 0) == 0);
        INFO(length);
        CHECK(load_be64(digest) != command_hash("default"));
    }
}

TEST_CASE("the name's UTF-8 bytes are hashed; names differ by hash", "[wire][hash]") {
    CHECK(command_hash("open_ssh") != command_hash("open_ssh "));
    CHECK(command_hash("Open_ssh") != command_hash("open_ssh"));
    CHECK(command_hash(std::string_view("a\0b", 3)) != command_hash("a"));
    CHECK(command_hash("\xc3\xbc") == command_hash("ü"));
}

TEST_CASE("hash text is 16 lowercase hex digits, leading zeros kept", "[wire][hash]") {
    CHECK(hash_to_hex(0) == "0000000000000000");
    CHECK(hash_to_hex(1) == "0000000000000001");
    CHECK(hash_to_hex(0xABCDEF0123456789ull) == "abcdef0123456789");
    CHECK(hash_to_hex(~0ull) == "ffffffffffffffff");
}
