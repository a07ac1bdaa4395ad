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

std::string drain_text(const Drain& d) {
    return with_commas(static_cast<double>(d.sent)) + " / " + with_commas(static_cast<double>(d.dropped_by_kernel)) +
           " / " + with_commas(static_cast<double>(d.judged)) + " / " + fixed(d.cpu_seconds, 3);
}

void drain_rows(std::ostringstream& out, const char* how, const std::map<JunkKind, Drain>& ours,
                const std::map<JunkKind, Drain>& theirs) {
    for (const auto& [kind, mine] : ours) {
        const Drain& other = theirs.at(kind);
        row(out, std::string("(1) ") + how + ", judged per CPU second: " + junk_kind_label(kind),
            with_commas(mine.per_cpu_second()), with_commas(other.per_cpu_second()),
            ratio(mine.per_cpu_second(), other.per_cpu_second()), "higher");
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

std::string markdown_table(const Figures& ruroco, const Figures& fwknopd, const std::string& machine,
                           const std::string& versions, const std::string& legend) {
    std::ostringstream out;
    out << "Machine: " << machine << "  \n" << versions << "\n\n";
    out << "| Measurement | ruroco | fwknopd | ruroco / fwknopd | better |\n";
    out << "|---|---:|---:|---:|---|\n";
    drain_rows(out, "paced", ruroco.paced, fwknopd.paced);
    drain_rows(out, "flood", ruroco.saturated, fwknopd.saturated);
    row(out, "(2) client start → command start, median (" + std::to_string(ruroco.latency.knocks) + " knocks)",
        fixed(ruroco.latency.median_ms, 2) + " ms", fixed(fwknopd.latency.median_ms, 2) + " ms",
        ratio(ruroco.latency.median_ms, fwknopd.latency.median_ms), "lower");
    row(out, "(2) client start → command start, p99", fixed(ruroco.latency.p99_ms, 2) + " ms",
        fixed(fwknopd.latency.p99_ms, 2) + " ms", ratio(ruroco.latency.p99_ms, fwknopd.latency.p99_ms), "lower");
    row(out, "(3) peak RSS, idle (all server processes)", with_commas(static_cast<double>(ruroco.idle_rss_kib)) + " KiB",
        with_commas(static_cast<double>(fwknopd.idle_rss_kib)) + " KiB",
        ratio(static_cast<double>(ruroco.idle_rss_kib), static_cast<double>(fwknopd.idle_rss_kib)), "lower");
    row(out, "(3) peak RSS, flood from many sources", with_commas(static_cast<double>(ruroco.flood_peak_rss_kib)) + " KiB",
        with_commas(static_cast<double>(fwknopd.flood_peak_rss_kib)) + " KiB",
        ratio(static_cast<double>(ruroco.flood_peak_rss_kib), static_cast<double>(fwknopd.flood_peak_rss_kib)),
        "lower");
    row(out, "(3) proportional set size after the flood (shared pages split)",
        with_commas(static_cast<double>(ruroco.flood_pss_kib)) + " KiB",
        with_commas(static_cast<double>(fwknopd.flood_pss_kib)) + " KiB",
        ratio(static_cast<double>(ruroco.flood_pss_kib), static_cast<double>(fwknopd.flood_pss_kib)), "lower");
    row(out, "(4) stripped server binary", with_commas(static_cast<double>(ruroco.stripped_binary_bytes)) + " B",
        with_commas(static_cast<double>(fwknopd.stripped_binary_bytes)) + " B",
        ratio(static_cast<double>(ruroco.stripped_binary_bytes), static_cast<double>(fwknopd.stripped_binary_bytes)),
        "lower");
    out << "\n" << legend << "\n";
    out << "\nDetails (sent / dropped by the kernel's socket buffer / judged / server CPU seconds):\n\n";
    drain_details(out, "paced", ruroco.paced, fwknopd.paced);
    drain_details(out, "flood", ruroco.saturated, fwknopd.saturated);
    out << "- flood for (3): ruroco " << with_commas(static_cast<double>(ruroco.flood_sent)) << " datagrams, fwknopd "
        << with_commas(static_cast<double>(fwknopd.flood_sent)) << " datagrams\n";
    return out.str();
}

}  // namespace ruroco::bench
