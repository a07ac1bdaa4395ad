// A client's shared key: 8-byte key id + 32-byte ChaCha20-Poly1305 key (PROTOCOL.md 7).
// The secret lives in libsodium guarded memory, read-only while held, wiped when dropped.
// The key file text is one line of standard base64 of the 40 bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wire/result.h"
#include "wire/sizes.h"

namespace ruroco::wire {

using KeyId = std::array<std::uint8_t, kKeyIdSize>;

// base64 of 40 bytes with padding is 56 characters, plus a newline.
inline constexpr std::size_t kKeyFileTextSize = 57;

// Must run before any Key exists: sodium_malloc and the CSPRNG need it. Idempotent.
bool crypto_init();

class Key {
  public:
    static Result<Key> generate();
    static Result<Key> from_material(const std::uint8_t material[kKeyMaterialSize]);
    // One line of base64 (a trailing newline, CRLF or surrounding blanks are allowed).
    static Result<Key> parse_file_text(std::string_view text);

    Key(Key&& other) noexcept;
    Key& operator=(Key&& other) noexcept;
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
    ~Key();

    const KeyId& id() const { return id_; }
    std::string id_hex() const;
    const std::uint8_t* secret() const { return secret_; }
    // Writes the key file line, newline included, into out; the caller wipes it.
    void format_file_text(char out[kKeyFileTextSize + 1]) const;

  private:
    Key() = default;
    KeyId id_{};
    std::uint8_t* secret_ = nullptr;
};

}  // namespace ruroco::wire
