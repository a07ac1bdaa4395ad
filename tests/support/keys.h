// Key helpers for tests: the code under test owns its KeyRing, while the test seals packets.
#pragma once

#include "wire/key.h"

namespace ruroco::test {

// A second Key object holding the same id and secret (aborts if guarded memory fails).
wire::Key copy_key(const wire::Key& key);

}  // namespace ruroco::test
