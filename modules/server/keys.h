// The server's keys: every *.key file in key_dir, each checked like a private key.
#pragma once

#include <string>
#include <vector>

#include "wire/keyring.h"

namespace ruroco {

// Appends one line per problem (unreadable dir, refused or broken file, duplicate id, no keys)
// and returns the keys that loaded. The ring is usable only when problems stayed empty.
wire::KeyRing load_keys(const std::string& key_dir, std::vector<std::string>& problems);

}  // namespace ruroco
