// Drop counting and summaries: see drop_stats.h.
#include "modules/server/drop_stats.h"

#include <algorithm>

#include "modules/common/log.h"

namespace ruroco {

namespace {
constexpr std::uint64_t kSummaryIntervalNs = 10ull * 1000 * 1000 * 1000;
}

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    int count = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (count > 0 && count % 3 == 0) out.insert(out.begin(), ',');
        out.insert(out.begin(), *it);
        count++;
    }
    return out;
}

std::string DropStats::window_summary(std::uint64_t seconds) const {
    // Largest count first (BEHAVIOUR.md: "bad_tag 182,300, rate_limited 11"): the line says
    // what a flood is made of; equal counts keep the protocol's order.
    std::array<std::size_t, wire::kDropReasonCount - 1> order;
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i + 1;
    std::stable_sort(order.begin(), order.end(),
                     [this](std::size_t a, std::size_t b) { return window_[a] > window_[b]; });
    std::uint64_t dropped = 0;
    std::string parts;
    for (std::size_t i : order) {
        if (window_[i] == 0) continue;
        dropped += window_[i];
        if (!parts.empty()) parts += ", ";
        parts += std::string(wire::drop_reason_name(static_cast<wire::DropReason>(i))) + " " + with_thousands(window_[i]);
    }
    return "dropped " + with_thousands(dropped) + " in " + std::to_string(seconds) + " s: " + parts;
}

void DropStats::maybe_log_summary(std::uint64_t now_ns) {
    if (window_start_ns_ == 0) window_start_ns_ = now_ns;
    if (now_ns - window_start_ns_ < kSummaryIntervalNs) return;
    bool any = false;
    for (std::size_t i = 1; i < wire::kDropReasonCount; ++i) any = any || window_[i] != 0;
    if (any) log_info("%s", window_summary((now_ns - window_start_ns_) / 1000000000ull).c_str());
    window_.fill(0);
    window_start_ns_ = now_ns;
}

std::string DropStats::totals_line() const {
    std::string line;
    for (std::size_t i = 0; i < wire::kDropReasonCount; ++i) {
        if (!line.empty()) line += ", ";
        line += std::string(wire::drop_reason_name(static_cast<wire::DropReason>(i))) + " " + std::to_string(total_[i]);
    }
    line += ", state_write_failed " + std::to_string(local_total_[0]);
    line += ", commander_unavailable " + std::to_string(local_total_[1]);
    line += ", tag_checks " + std::to_string(tag_checks_);
    return line;
}

}  // namespace ruroco
