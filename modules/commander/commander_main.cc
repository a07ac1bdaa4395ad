// PLACEHOLDER: replaced by the commander implementation.
#include "modules/commander/commander_main.h"

#include <cstdio>

namespace ruroco {
int commander_main(int, char**) {
    std::fprintf(stderr, "ruroco-commander: not built yet\n");
    return 1;
}
}  // namespace ruroco
