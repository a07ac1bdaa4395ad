// Counts of every outcome of the validation pipeline, and the summary log line, written at
// most once per 10 s so a flood costs a few lines, never one line per datagram.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "wire/drop_reason.h"

namespace ruroco {

// Outcomes beyond the protocol's drop reasons: local failures after a packet was valid.
enum class LocalFailure : unsigned char { state_write_failed, commander_unavailable, count };

class DropStats {
  public:
    void count(wire::DropReason reason) { ++window_[static_cast<std::size_t>(reason)], ++total_[static_cast<std::size_t>(reason)]; }
    void count(LocalFailure failure) { ++local_total_[static_cast<std::size_t>(failure)]; }
    void count_tag_check() { ++tag_checks_; }
    std::uint64_t tag_checks() const { return tag_checks_; }
    // Logs the drops of the current window if any and at least 10 s passed since the last line.
    void maybe_log_summary(std::uint64_t now_ns);
    // "accepted 3, bad_size 0, ...": every counter since start, for SIGUSR1 and tests.
    std::string totals_line() const;
    std::uint64_t total(wire::DropReason reason) const { return total_[static_cast<std::size_t>(reason)]; }

    // "dropped 182,311 in 10 s: bad_tag 182,300, rate_limited 11" (without the logging).
    std::string window_summary(std::uint64_t seconds) const;

  private:
    std::array<std::uint64_t, wire::kDropReasonCount> window_{};
    std::array<std::uint64_t, wire::kDropReasonCount> total_{};
    std::array<std::uint64_t, static_cast<std::size_t>(LocalFailure::count)> local_total_{};
    std::uint64_t window_start_ns_ = 0;
    std::uint64_t tag_checks_ = 0;
};

std::string with_thousands(std::uint64_t n);

}  // namespace ruroco
