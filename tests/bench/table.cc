// The benchmark's Markdown table: see table.h.
#include "tests/bench/table.h"

#include <cstdio>
#include <sstream>

namespace ruroco::bench {

namespace {

std::string with_commas(double value) {
    std::string digits = std::to_string(static_cast<long long>(value + 0.5));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string ratio(double ours, double theirs) {
    if (theirs <= 0) return "n/a";
    double r = ours / theirs;
    return fixed(r, r < 10 ? 2 : 1);
}

void row(std::ostringstream& out, const std::string& what, const std::string& ours, const std::string& theirs,
         const std::string& r, const char* better) {
    out << "| " << what << " | " << ours << " | " << theirs << " | " << r << " | " << better << " |\n";
}

std::string count(std::uint64_t n) { return with_commas(static_cast<double>(n)); }
std::string kib(long n) { return with_commas(static_cast<double>(n)) + " KiB"; }
std::string bytes(long n) { return with_commas(static_cast<double>(n)) + " B"; }

std::string drain_text(const Drain& d) {
    return count(d.sent) + " / " + count(d.dropped_by_kernel) + " / " + count(d.judged) + " / " +
           fixed(d.cpu_seconds, 3) + " / " + (d.own_account ? count(*d.own_account) : std::string("-"));
}

void drain_row(std::ostringstream& out, const std::string& what, const Drain& mine, const Drain& other) {
    row(out, what, with_commas(mine.per_cpu_second()), with_commas(other.per_cpu_second()),
        ratio(mine.per_cpu_second(), other.per_cpu_second()), "higher");
}

// A row of two sizes where smaller is better.
void size_row(std::ostringstream& out, const std::string& what, long mine, long other, std::string (*unit)(long)) {
    row(out, what, unit(mine), unit(other), ratio(static_cast<double>(mine), static_cast<double>(other)), "lower");
}

void ms_row(std::ostringstream& out, const std::string& what, double mine, double other) {
    row(out, what, fixed(mine, 2) + " ms", fixed(other, 2) + " ms", ratio(mine, other), "lower");
}

void drain_rows(std::ostringstream& out, const char* how, const std::map<JunkKind, Drain>& ours,
                const std::map<JunkKind, Drain>& theirs) {
    for (const auto& [kind, mine] : ours) {
        drain_row(out, std::string("(1) ") + how + ", judged per CPU second: " + junk_kind_label(kind), mine,
                  theirs.at(kind));
    }
}

void drain_details(std::ostringstream& out, const char* how, const std::map<JunkKind, Drain>& ours,
                   const std::map<JunkKind, Drain>& theirs) {
    for (const auto& [kind, mine] : ours) {
        out << "- " << how << ", " << junk_kind_label(kind) << ": ruroco " << drain_text(mine) << "; fwknopd "
            << drain_text(theirs.at(kind)) << "\n";
    }
}

}  // namespace

std::string markdown_table(const Figures& ruroco, const Figures& fwknopd, std::size_t history_knocks,
                           const std::string& machine, const std::string& versions, const std::string& legend) {
    std::ostringstream out;
    out << "Machine: " << machine << "  \n" << versions << "\n\n";
    out << "| Measurement | ruroco | fwknopd | ruroco / fwknopd | better |\n";
    out << "|---|---:|---:|---:|---|\n";
    drain_rows(out, "paced", ruroco.paced, fwknopd.paced);
    drain_rows(out, "flood", ruroco.saturated, fwknopd.saturated);
    drain_row(out, "(1) flood after " + count(history_knocks) + " accepted knocks, judged per CPU second: " +
                       junk_kind_label(JunkKind::random),
              ruroco.after_history, fwknopd.after_history);
    ms_row(out, "(2) client start → command start, median (" + std::to_string(ruroco.latency.knocks) + " knocks)",
           ruroco.latency.median_ms, fwknopd.latency.median_ms);
    ms_row(out, "(2) client start → command start, p99", ruroco.latency.p99_ms, fwknopd.latency.p99_ms);
    ms_row(out, "(2) of which the client alone, fork → exit, median", ruroco.latency.client_median_ms,
           fwknopd.latency.client_median_ms);
    size_row(out, "(3) peak RSS, idle", ruroco.idle_rss_kib, fwknopd.idle_rss_kib, kib);
    size_row(out, "(3) peak RSS, flood from many sources", ruroco.flood_peak_rss_kib, fwknopd.flood_peak_rss_kib, kib);
    size_row(out, "(3) anonymous memory, idle", ruroco.idle_anon_kib, fwknopd.idle_anon_kib, kib);
    size_row(out, "(3) anonymous memory, after the flood", ruroco.flood_anon_kib, fwknopd.flood_anon_kib, kib);
    size_row(out, "(4) stripped server executable", ruroco.stripped_binary_bytes, fwknopd.stripped_binary_bytes, bytes);
    size_row(out, "(4) the same, with its project's own shared libraries (fwknopd: libfko)",
             ruroco.stripped_binary_bytes + ruroco.stripped_own_library_bytes,
             fwknopd.stripped_binary_bytes + fwknopd.stripped_own_library_bytes, bytes);
    out << "\n" << legend << "\n";
    out << "\nDetails (sent / dropped by the kernel's socket buffer / judged / server CPU seconds / rejected "
           "for that reason by the server's own account):\n\n";
    drain_details(out, "paced", ruroco.paced, fwknopd.paced);
    drain_details(out, "flood", ruroco.saturated, fwknopd.saturated);
    out << "- flood after history: ruroco " << drain_text(ruroco.after_history) << "; fwknopd "
        << drain_text(fwknopd.after_history) << "\n";
    out << "- (3) flood: ruroco " << count(ruroco.flood_sent) << " datagrams, fwknopd " << count(fwknopd.flood_sent)
        << "; proportional set size (Pss) idle / after: ruroco " << kib(ruroco.idle_pss_kib) << " / "
        << kib(ruroco.flood_pss_kib) << ", fwknopd " << kib(fwknopd.idle_pss_kib) << " / " << kib(fwknopd.flood_pss_kib)
        << "\n";
    return out.str();
}

}  // namespace ruroco::bench
