// PLACEHOLDER: replaced by the server implementation.
#include "modules/server/server_main.h"

#include <cstdio>

namespace ruroco {
int server_main(int, char**) {
    std::fprintf(stderr, "ruroco-server: not built yet\n");
    return 1;
}
}  // namespace ruroco
