// The benchmark's Markdown table: each figure of ruroco beside fwknopd's, and their ratio.
#pragma once

#include <string>

#include "tests/bench/measure.h"

namespace ruroco::bench {

// `machine` and `versions` head the table; `legend` (how it was measured) follows it.
std::string markdown_table(const Figures& ruroco, const Figures& fwknopd, std::size_t history_knocks,
                           const std::string& machine, const std::string& versions, const std::string& legend);

}  // namespace ruroco::bench
