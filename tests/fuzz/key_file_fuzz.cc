// Fuzzes the key file parser: one line of base64 of 40 bytes, anything else refused.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wire/key.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool initialised = ruroco::wire::crypto_init();
    if (!initialised) std::abort();
    auto key = ruroco::wire::Key::parse_file_text(
        std::string_view(reinterpret_cast<const char*>(data), size));
    if (key) key->id_hex();
    return 0;
}
