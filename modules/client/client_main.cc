// PLACEHOLDER: replaced by the client implementation.
#include "modules/client/client_main.h"

#include <cstdio>

namespace ruroco {
int client_main(int, char**) {
    std::fprintf(stderr, "ruroco-client: not built yet\n");
    return 1;
}
}  // namespace ruroco
