// The pending-stop journal: see stop_journal.h. Names are hex-encoded so that any section
// name, spaces included, fits one whitespace-separated field.
#include "modules/commander/stop_journal.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <sstream>

#include "modules/common/atomic_file.h"
#include "wire/decimal.h"
#include "wire/hex.h"

namespace ruroco {

namespace {
constexpr std::size_t kMaxJournalSize = 4 << 20;
}

std::string format_journal(const std::vector<PendingStop>& stops) {
    std::string text;
    for (const PendingStop& s : stops) {
        text += "v1 " + wire::to_hex(reinterpret_cast<const std::uint8_t*>(s.command.data()), s.command.size()) +
                " " + s.ip.to_string() + " " + std::to_string(s.due_ns) + " " + std::to_string(s.failures) + " " +
                (s.gave_up ? "1" : "0") + "\n";
    }
    return text;
}

std::vector<PendingStop> parse_journal(const std::string& path, const std::string& text,
                                       std::vector<std::string>& problems) {
    std::vector<PendingStop> stops;
    std::size_t pos = 0;
    int number = 0;
    while (pos < text.size()) {
        number++;
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) {
            problems.push_back(path + ":" + std::to_string(number) +
                               ": torn last line ignored (a write was cut off before its start ran)");
            break;
        }
        std::istringstream fields(text.substr(pos, end - pos));
        pos = end + 1;
        std::string version, name_hex, ip_text, due_text, fails_text, gave_up_text, rest;
        fields >> version >> name_hex >> ip_text >> due_text >> fails_text >> gave_up_text >> rest;
        Result<std::vector<std::uint8_t>> name = wire::from_hex(name_hex);
        Result<wire::Ip> ip = wire::Ip::parse(ip_text);
        // Parsed without exceptions (std::stoull threw on 20 digits past 2^64 - 1 and killed the
        // commander): a damaged journal costs one line, never the commander.
        wire::u128 due = 0, failures = 0;
        bool numbers = wire::u128_from_string(due_text, due) && due <= std::numeric_limits<std::uint64_t>::max() &&
                       wire::u128_from_string(fails_text, failures) &&
                       failures <= std::numeric_limits<std::uint32_t>::max();
        if (version != "v1" || !name || name->empty() || !ip || !numbers ||
            (gave_up_text != "0" && gave_up_text != "1") || !rest.empty()) {
            problems.push_back(path + ":" + std::to_string(number) + ": unreadable line ignored");
            continue;
        }
        PendingStop s;
        s.command.assign(name->begin(), name->end());
        s.ip = *ip;
        s.due_ns = static_cast<std::uint64_t>(due);
        s.failures = static_cast<std::uint32_t>(failures);
        s.gave_up = gave_up_text == "1";
        stops.push_back(s);
    }
    return stops;
}

Result<StopJournal> StopJournal::open(const std::string& dir) {
    Status made = make_directories(dir, 0700);
    if (!made) return make_error("journal_dir: " + made.error());
    struct stat st;
    if (stat(dir.c_str(), &st) != 0) return make_error("journal_dir " + dir + ": " + std::strerror(errno));
    if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
        return make_error("journal_dir " + dir + " must be owned by the commander's user and not writable "
                          "by group or others: whoever writes it decides which stops run");
    }
    return StopJournal(dir, dir + "/" + kJournalFile);
}

Result<std::vector<PendingStop>> StopJournal::load(std::vector<std::string>& problems) const {
    Result<std::string> text = read_small_file(path_, kMaxJournalSize, true);
    if (!text) return make_error(text.error());
    return parse_journal(path_, *text, problems);
}

Status StopJournal::save(const std::vector<PendingStop>& stops) const {
    return write_file_atomically(path_, format_journal(stops), 0600);
}

}  // namespace ruroco
