// Entry point of the client role; argv[0] is the role's name.
#pragma once

namespace ruroco {
int client_main(int argc, char** argv);
}
