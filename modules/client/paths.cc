// Client paths: see paths.h.
#include "modules/client/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace ruroco {

namespace {

std::string home() {
    const char* env = std::getenv("HOME");
    if (env != nullptr && *env != '\0') return env;
    struct passwd* pw = getpwuid(getuid());
    return pw != nullptr ? pw->pw_dir : "/";
}

std::string xdg(const char* variable, const char* fallback) {
    const char* env = std::getenv(variable);
    // XDG: a relative value is invalid and must be ignored.
    if (env != nullptr && env[0] == '/') return std::string(env) + "/ruroco";
    return home() + "/" + fallback + "/ruroco";
}

}  // namespace

std::string client_config_dir() {
    return xdg("XDG_CONFIG_HOME", ".config");
}
std::string client_state_dir() {
    return xdg("XDG_STATE_HOME", ".local/state");
}

std::string expand_home(const std::string& path) {
    if (path == "~") return home();
    if (path.rfind("~/", 0) == 0) return home() + path.substr(1);
    return path;
}

}  // namespace ruroco
