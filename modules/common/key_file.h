// Key files on disk (PROTOCOL.md 7): refused unless a regular file that group and others can
// neither read nor write, like OpenSSH's private keys. The text is read into guarded memory.
#pragma once

#include <string>

#include "wire/key.h"
#include "wire/result.h"

namespace ruroco {

Result<wire::Key> load_key_file(const std::string& path);
// Creates path with mode 0600; never overwrites an existing file.
Status write_new_key_file(const std::string& path, const wire::Key& key);

}  // namespace ruroco
