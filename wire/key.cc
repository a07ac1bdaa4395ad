// Key material in guarded memory: see key.h.
#include "wire/key.h"

#include <sodium.h>

#include <cstring>

#include "wire/hex.h"

namespace ruroco::wire {

bool crypto_init() { return sodium_init() >= 0; }

Result<Key> Key::from_material(const std::uint8_t material[kKeyMaterialSize]) {
    Key key;
    key.secret_ = static_cast<std::uint8_t*>(sodium_malloc(kSecretKeySize));
    if (key.secret_ == nullptr) return make_error("cannot allocate guarded memory for a key");
    std::memcpy(key.id_.data(), material, kKeyIdSize);
    std::memcpy(key.secret_, material + kKeyIdSize, kSecretKeySize);
    sodium_mprotect_readonly(key.secret_);
    return key;
}

Result<Key> Key::generate() {
    std::uint8_t* material = static_cast<std::uint8_t*>(sodium_malloc(kKeyMaterialSize));
    if (material == nullptr) return make_error("cannot allocate guarded memory for a key");
    randombytes_buf(material, kKeyMaterialSize);
    Result<Key> key = from_material(material);
    sodium_free(material);  // sodium_free wipes
    return key;
}

Result<Key> Key::parse_file_text(std::string_view text) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    if (text.size() != kKeyFileTextSize - 1) {
        return make_error("not a ruroco key: expected one line of 56 base64 characters");
    }
    std::uint8_t* material = static_cast<std::uint8_t*>(sodium_malloc(kKeyMaterialSize));
    if (material == nullptr) return make_error("cannot allocate guarded memory for a key");
    std::size_t decoded = 0;
    const char* end = nullptr;
    int rc = sodium_base642bin(material, kKeyMaterialSize, text.data(), text.size(), nullptr,
                               &decoded, &end, sodium_base64_VARIANT_ORIGINAL);
    if (rc != 0 || decoded != kKeyMaterialSize || end != text.data() + text.size()) {
        sodium_free(material);
        return make_error("not a ruroco key: the line is not base64 of 40 bytes");
    }
    Result<Key> key = from_material(material);
    sodium_free(material);
    return key;
}

Key::Key(Key&& other) noexcept : id_(other.id_), secret_(other.secret_) { other.secret_ = nullptr; }

Key& Key::operator=(Key&& other) noexcept {
    if (this != &other) {
        if (secret_ != nullptr) sodium_free(secret_);
        id_ = other.id_;
        secret_ = other.secret_;
        other.secret_ = nullptr;
    }
    return *this;
}

Key::~Key() {
    if (secret_ != nullptr) sodium_free(secret_);  // wipes before freeing
}

std::string Key::id_hex() const { return to_hex(id_.data(), id_.size()); }

void Key::format_file_text(char out[kKeyFileTextSize + 1]) const {
    std::uint8_t material[kKeyMaterialSize];
    std::memcpy(material, id_.data(), kKeyIdSize);
    std::memcpy(material + kKeyIdSize, secret_, kSecretKeySize);
    sodium_bin2base64(out, kKeyFileTextSize, material, sizeof material,
                      sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(material, sizeof material);
    out[kKeyFileTextSize - 1] = '\n';
    out[kKeyFileTextSize] = '\0';
}

}  // namespace ruroco::wire
