// The pending-stop journal's text: round trip, and a damaged file that loses only what is
// damaged, never the stops written whole.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "modules/commander/stop_journal.h"
#include "tests/support/process.h"

using namespace ruroco;

namespace {
PendingStop stop(const std::string& name, const std::string& ip, std::uint64_t due) {
    return PendingStop{name, *wire::Ip::parse(ip), due, 0, false};
}
}  // namespace

TEST_CASE("journal text round-trips, names with spaces included", "[commander][journal]") {
    PendingStop failing = stop("open ssh", "2001:db8::7", 42);
    failing.failures = 5;
    failing.gave_up = true;
    std::vector<PendingStop> stops = {stop("open_ssh", "203.0.113.7", 1795515624827861064ull), failing};
    std::vector<std::string> problems;
    std::vector<PendingStop> back = parse_journal("j", format_journal(stops), problems);
    CHECK(problems.empty());
    REQUIRE(back.size() == 2);
    CHECK(back[0].command == "open_ssh");
    CHECK(back[0].ip.to_string() == "203.0.113.7");
    CHECK(back[0].due_ns == 1795515624827861064ull);
    CHECK(back[1].command == "open ssh");
    CHECK(back[1].failures == 5);
    CHECK(back[1].gave_up);
}

TEST_CASE("a torn last line and unreadable lines are skipped; whole lines stay", "[commander][journal][negative]") {
    std::string whole = format_journal({stop("a", "192.0.2.1", 1), stop("b", "192.0.2.2", 2)});
    std::string torn = format_journal({stop("c", "192.0.2.3", 3)});
    for (std::size_t cut = 1; cut < torn.size(); ++cut) {
        std::vector<std::string> problems;
        std::vector<PendingStop> back = parse_journal("j", whole + torn.substr(0, cut), problems);
        INFO("cut at " << cut);
        REQUIRE(back.size() == 2);
        CHECK(back[1].command == "b");
        REQUIRE(problems.size() == 1);
        CHECK(problems[0] == "j:3: torn last line ignored (a write was cut off before its start ran)");
    }
    std::vector<std::string> problems;
    std::string damaged = "v2 61 192.0.2.1 1 0 0\nv1 zz 192.0.2.1 1 0 0\nv1 61 not-an-ip 1 0 0\nv1 61 192.0.2.1 x 0 0\n"
                          "v1 61 192.0.2.1 1 0 2\nv1 61 192.0.2.1 1 0 0 extra\n\n" + whole;
    std::vector<PendingStop> back = parse_journal("j", damaged, problems);
    CHECK(back.size() == 2);
    CHECK(problems.size() == 7);
}

TEST_CASE("numbers too large for their field are unreadable lines, not a crash", "[commander][journal][negative]") {
    // Found by ini_fuzz: a due time of 20 digits past 2^64 - 1 made std::stoull throw, and the
    // commander, which loads the journal at start, died on it.
    std::vector<std::string> problems;
    std::string text = "v1 61 192.0.2.1 18446744073709551616 0 0\n"  // 2^64
                       "v1 61 192.0.2.1 99999999999999999999 0 0\n"
                       "v1 61 192.0.2.1 1 4294967296 0\n"            // 2^32 failures
                       "v1 61 192.0.2.1 18446744073709551615 4294967295 1\n";
    std::vector<PendingStop> back = parse_journal("j", text, problems);
    REQUIRE(back.size() == 1);
    CHECK(back[0].due_ns == 18446744073709551615ull);
    CHECK(back[0].failures == 4294967295u);
    CHECK(problems == std::vector<std::string>{"j:1: unreadable line ignored", "j:2: unreadable line ignored",
                                              "j:3: unreadable line ignored"});
}

TEST_CASE("the journal directory must be the commander's alone", "[commander][journal][negative]") {
    test::TempDir dir;
    std::string journal_dir = dir.file("journal");
    REQUIRE(StopJournal::open(journal_dir).ok());
    struct stat st;
    REQUIRE(stat(journal_dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    chmod(journal_dir.c_str(), 0770);
    Result<StopJournal> refused = StopJournal::open(journal_dir);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().find("not writable by group or others") != std::string::npos);
}

TEST_CASE("save is durable and load reads back what was saved", "[commander][journal]") {
    test::TempDir dir;
    Result<StopJournal> journal = StopJournal::open(dir.file("j"));
    REQUIRE(journal.ok());
    REQUIRE(journal->save({stop("x", "192.0.2.9", 7)}).ok());
    std::vector<std::string> problems;
    Result<std::vector<PendingStop>> back = journal->load(problems);
    REQUIRE(back.ok());
    REQUIRE(back->size() == 1);
    CHECK((*back)[0].ip.to_string() == "192.0.2.9");
}
