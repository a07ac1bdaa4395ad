// The strict INI reader: a value is the whole rest of its line (shell commands survive intact),
// comments are whole lines only, and every problem names path:line.
#include "modules/common/ini_file.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/process.h"

using namespace ruroco;

namespace {

bool has_problem(const IniFile& f, const std::string& text) {
    for (const std::string& p : f.problems) {
        if (p.find(text) != std::string::npos) return true;
    }
    return false;
}

const IniEntry* entry(const IniFile& f, const std::string& section, const std::string& key) {
    for (const IniEntry& e : f.entries) {
        if (e.section == section && e.key == key) return &e;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a 1,000-character value survives whole", "[common][ini]") {
    std::string value;
    for (int i = 0; i < 1000; ++i) value += static_cast<char>('a' + i % 26);
    IniFile f = read_ini_text("t.ini", "[cmd]\nstart = " + value + "\n");
    CHECK(f.problems.empty());
    const IniEntry* e = entry(f, "cmd", "start");
    REQUIRE(e != nullptr);
    CHECK(e->value.size() == 1000);
    CHECK(e->value == value);
    CHECK(e->line == 2);
}

TEST_CASE("a semicolon after a blank does not start a comment", "[common][ini]") {
    IniFile f = read_ini_text("t.ini", "[cmd]\nstart = a ; b\nstop = x # y\n");
    CHECK(f.problems.empty());
    REQUIRE(entry(f, "cmd", "start") != nullptr);
    CHECK(entry(f, "cmd", "start")->value == "a ; b");
    REQUIRE(entry(f, "cmd", "stop") != nullptr);
    CHECK(entry(f, "cmd", "stop")->value == "x # y");
}

TEST_CASE("an indented line is not a continuation of the previous value", "[common][ini]") {
    IniFile f = read_ini_text("t.ini", "[cmd]\nstart = first\n  more words\n");
    // inih's default would append "more words" to start; here it is a line of its own, and
    // being neither key = value nor a section, it is an error on line 3.
    REQUIRE(entry(f, "cmd", "start") != nullptr);
    CHECK(entry(f, "cmd", "start")->value == "first");
    CHECK(has_problem(f, "t.ini:3:"));
    IniFile g = read_ini_text("t.ini", "[cmd]\nstart = first\n  stop = second\n");
    CHECK(g.problems.empty());
    REQUIRE(entry(g, "cmd", "start") != nullptr);
    CHECK(entry(g, "cmd", "start")->value == "first");
    REQUIRE(entry(g, "cmd", "stop") != nullptr);
    CHECK(entry(g, "cmd", "stop")->value == "second");
}

TEST_CASE("a line of 4096 bytes is read whole; a longer one is an error and unused", "[common][ini]") {
    std::string prefix = "start = ";
    std::string fits = prefix + std::string(kIniMaxLine - prefix.size(), 'x');
    REQUIRE(fits.size() == 4096);
    IniFile ok = read_ini_text("t.ini", "[cmd]\n" + fits + "\n");
    CHECK(ok.problems.empty());
    REQUIRE(entry(ok, "cmd", "start") != nullptr);
    CHECK(entry(ok, "cmd", "start")->value.size() == 4096 - prefix.size());

    std::string too_long = fits + "y";
    IniFile bad = read_ini_text("t.ini", "[cmd]\nstop = before\n" + too_long + "\nafter = 1\n");
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].rfind("t.ini:3: ", 0) == 0);
    CHECK(has_problem(bad, "longer than 4096"));
    CHECK(entry(bad, "cmd", "start") == nullptr);  // no cut-down prefix of it is used
    REQUIRE(entry(bad, "cmd", "after") != nullptr);
    CHECK(entry(bad, "cmd", "after")->line == 4);  // line numbers stay right after it
}

TEST_CASE("comments are whole lines starting with ; or #", "[common][ini]") {
    IniFile f = read_ini_text("t.ini", "; a comment\n# another\n[s]\n  ; indented comment\nk = v\n");
    CHECK(f.problems.empty());
    REQUIRE(f.entries.size() == 1);
    CHECK(f.entries[0].key == "k");
    CHECK(f.entries[0].value == "v");
    CHECK(f.entries[0].line == 5);
    REQUIRE(f.sections.size() == 1);
    CHECK(f.sections[0].name == "s");
    CHECK(f.sections[0].line == 3);
}

TEST_CASE("a syntax error is reported with its line number", "[common][ini][negative]") {
    for (const char* bad : {"just words", "[unclosed", "key_without_value"}) {
        INFO(bad);
        IniFile f = read_ini_text("/etc/x.ini", std::string("[s]\nk = v\n\n") + bad + "\n");
        REQUIRE_FALSE(f.problems.empty());
        CHECK(f.problems[0].rfind("/etc/x.ini:4: ", 0) == 0);
    }
}

TEST_CASE("entries keep their section, line and order; CRLF is accepted", "[common][ini]") {
    IniFile f = read_ini_text("t.ini", "[a]\r\nx = 1\r\n[b]\r\nx = 2\r\n");
    CHECK(f.problems.empty());
    REQUIRE(f.entries.size() == 2);
    CHECK(f.entries[0].section == "a");
    CHECK(f.entries[0].value == "1");
    CHECK(f.entries[1].section == "b");
    CHECK(f.entries[1].value == "2");
    CHECK(f.entries[1].line == 4);

    IniFile no_newline = read_ini_text("t.ini", "[a]\nlast = word");
    CHECK(no_newline.problems.empty());
    REQUIRE(no_newline.entries.size() == 1);
    CHECK(no_newline.entries[0].value == "word");
}

TEST_CASE("a NUL byte or a missing file is a problem naming the path", "[common][ini][negative]") {
    IniFile nul = read_ini_text("t.ini", std::string("[s]\nk = a\0b\n", 11));
    CHECK(has_problem(nul, "t.ini: contains a NUL byte"));
    CHECK(nul.entries.empty());

    test::TempDir dir;
    IniFile missing = read_ini_file(dir.file("absent.ini"));
    REQUIRE(missing.problems.size() == 1);
    CHECK(has_problem(missing, dir.file("absent.ini")));

    test::write_text(dir.file("real.ini"), "[s]\nk = v ; w\n");
    IniFile real = read_ini_file(dir.file("real.ini"));
    CHECK(real.problems.empty());
    REQUIRE(entry(real, "s", "k") != nullptr);
    CHECK(entry(real, "s", "k")->value == "v ; w");
}

TEST_CASE("entries carry their section exactly as the section list names it", "[common][ini]") {
    std::string long_name(80, 'n');
    IniFile f = read_ini_text("t.ini", "[ spaced ]\na = 1\n[" + long_name + "]\nb = 2\n");
    CHECK(f.problems.empty());
    REQUIRE(f.sections.size() == 2);
    CHECK(f.sections[0].name == "spaced");
    CHECK(f.sections[1].name == long_name);
    REQUIRE(f.entries.size() == 2);
    CHECK(f.entries[0].section == "spaced");   // inih alone says " spaced "
    CHECK(f.entries[1].section == long_name);  // inih alone cuts it at 49 bytes
}

TEST_CASE("text after the ] of a section header is a problem, not a comment", "[common][ini][negative]") {
    IniFile f = read_ini_text("t.ini", "[a]\nx = 1\n[b] ; note\ny = 2\n");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].rfind("t.ini:3: ", 0) == 0);
    CHECK(has_problem(f, "text after ']'"));
}
