// Entry point of the server role; argv[0] is the role's name.
#pragma once

namespace ruroco {
int server_main(int argc, char** argv);
}
