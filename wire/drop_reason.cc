// Names of drop reasons as logs, counters and the test vectors spell them.
#include "wire/drop_reason.h"

namespace ruroco::wire {

std::string_view drop_reason_name(DropReason reason) {
    switch (reason) {
        case DropReason::none: return "accepted";
        case DropReason::bad_size: return "bad_size";
        case DropReason::rate_limited: return "rate_limited";
        case DropReason::unknown_key: return "unknown_key";
        case DropReason::bad_tag: return "bad_tag";
        case DropReason::bad_plaintext: return "bad_plaintext";
        case DropReason::stale: return "stale";
        case DropReason::future: return "future";
        case DropReason::replay: return "replay";
        case DropReason::wrong_destination: return "wrong_destination";
        case DropReason::wrong_source: return "wrong_source";
        case DropReason::count: break;
    }
    return "unknown";
}

}  // namespace ruroco::wire
