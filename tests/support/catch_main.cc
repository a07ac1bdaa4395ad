// Catch2's main, with libsodium initialised first: keys live in sodium_malloc memory.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "wire/key.h"

int main(int argc, char* argv[]) {
    if (!ruroco::wire::crypto_init()) return 1;
    return Catch::Session().run(argc, argv);
}
