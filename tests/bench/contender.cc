// Shared by both contenders: see contender.h.
#include "tests/bench/contender.h"

namespace ruroco::bench {

const char* junk_kind_label(JunkKind kind) {
    switch (kind) {
        case JunkKind::wrong_size: return "wrong size";
        case JunkKind::random: return "random bytes, right size";
        case JunkKind::forged: return "forged (authentication fails)";
        case JunkKind::replay: return "replay of an accepted packet";
        case JunkKind::stale: return "authentic but an hour old";
    }
    return "?";
}

std::string stamp_command(const std::string& stamp_binary, const std::string& file) {
    return stamp_binary + " " + file;
}

}  // namespace ruroco::bench
