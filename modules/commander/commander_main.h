// Entry point of the commander role; argv[0] is the role's name.
#pragma once

namespace ruroco {
int commander_main(int argc, char** argv);
}
