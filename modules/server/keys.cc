// Key directory loading: see keys.h.
#include "modules/server/keys.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "modules/common/key_file.h"

namespace ruroco {

wire::KeyRing load_keys(const std::string& key_dir, std::vector<std::string>& problems) {
    wire::KeyRing ring;
    DIR* dir = opendir(key_dir.c_str());
    if (dir == nullptr) {
        problems.push_back("key_dir " + key_dir + ": " + std::strerror(errno));
        return ring;
    }
    std::vector<std::string> names;
    while (struct dirent* e = readdir(dir)) {
        std::string name = e->d_name;
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".key") == 0) names.push_back(name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());  // deterministic messages
    for (const std::string& name : names) {
        std::string path = key_dir + "/" + name;
        Result<wire::Key> key = load_key_file(path);
        if (!key) {
            problems.push_back(key.error());
            continue;
        }
        std::string id = key->id_hex();
        if (!ring.add(std::move(*key))) problems.push_back("key file " + path + ": key id " + id + " is already used by another key file");
    }
    if (names.empty()) problems.push_back("no keys in " + key_dir + " (expected *.key files made by 'ruroco-client gen')");
    return ring;
}

}  // namespace ruroco
