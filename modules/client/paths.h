// Where the client keeps things: XDG config and state directories, and ~ expansion.
#pragma once

#include <string>

namespace ruroco {

// $XDG_CONFIG_HOME/ruroco or ~/.config/ruroco
std::string client_config_dir();
// $XDG_STATE_HOME/ruroco or ~/.local/state/ruroco
std::string client_state_dir();
// "~/x" -> "$HOME/x"; anything else unchanged.
std::string expand_home(const std::string& path);

}  // namespace ruroco
