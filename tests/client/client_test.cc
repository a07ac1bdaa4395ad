// The client through the real binary: what it sends (captured on a loopback socket and
// decrypted), its counters across processes, and one clear line and exit 2 for every user
// error, with nothing sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <set>

#include "modules/common/key_file.h"
#include "tests/client/capture.h"
#include "tests/support/keys.h"
#include "tests/support/process.h"
#include "wire/decimal.h"
#include "wire/hash.h"
#include "wire/packet.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

struct Client {
    TempDir dir;
    wire::Key key = std::move(wire::Key::generate().value());
    std::string key_file = dir.file("test.key");

    Client() { REQUIRE(write_new_key_file(key_file, key).ok()); }

    std::vector<std::string> env() const {
        return {"HOME=" + dir.path(), "XDG_STATE_HOME=" + dir.file("state"),
                "XDG_CONFIG_HOME=" + dir.file("config")};
    }
    RunResult run_client(std::vector<std::string> args) const {
        args.insert(args.begin(), {ruroco_bin(), "client"});
        return run(args, env());
    }
    wire::ClientData open(const std::vector<std::uint8_t>& datagram) const {
        REQUIRE(datagram.size() == wire::kPacketSize);
        wire::KeyRing ring;
        ring.add(test::copy_key(key));
        wire::ClientData d;
        REQUIRE(wire::decode_datagram(datagram.data(), datagram.size(), ring, d) == wire::DropReason::none);
        return d;
    }
};

wire::u128 now_ns() {
    return static_cast<wire::u128>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

std::size_t lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A user error: one line on stderr, exit 2, nothing on the capture socket.
void check_user_error(const RunResult& r, const Capture& capture, const std::string& expected) {
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("ruroco-client: ", 0) == 0);
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(capture.receive(300).empty());
}

}  // namespace

TEST_CASE("send reaches a loopback socket and the 94 bytes decode to the expected fields", "[client]") {
    Client c;
    Capture capture;
    wire::u128 before = now_ns();
    RunResult r = c.run_client(
        {"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file, "-c", "open_ssh"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());  // stdout stays clean for scripts; progress is on stderr
    CHECK(r.err.find("sent open_ssh to 127.0.0.1:" + std::to_string(capture.port())) != std::string::npos);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    wire::ClientData d = c.open(got[0]);
    CHECK(d.cmd_hash == wire::command_hash("open_ssh"));
    CHECK(d.strict);
    CHECK(d.src_ip.is_zero());
    CHECK(d.dst_ip.to_string() == "127.0.0.1");
    CHECK(d.counter >= before);
    CHECK(d.counter <= now_ns());
}

TEST_CASE("-i and -e are reflected in the packet; the command defaults to 'default'", "[client]") {
    Client c;
    Capture capture;
    RunResult r = c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file,
                                "-i", "203.0.113.9", "-e", "-q"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());  // --quiet
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    wire::ClientData d = c.open(got[0]);
    CHECK(d.cmd_hash == wire::command_hash("default"));
    CHECK_FALSE(d.strict);
    CHECK(d.src_ip.to_string() == "203.0.113.9");
}

TEST_CASE("send over IPv6 loopback names ::1 as the destination", "[client]") {
    Client c;
    Capture capture(AF_INET6);
    if (!capture.ok()) {
        WARN("skipped: IPv6 loopback is not available here");
        return;
    }
    RunResult r = c.run_client({"send", "-a", "[::1]:" + std::to_string(capture.port()), "-k", c.key_file});
    REQUIRE(r.exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    CHECK(c.open(got[0]).dst_ip.to_string() == "::1");
}

TEST_CASE("a name with IPv4 and IPv6 addresses gets one packet each, with one counter", "[client]") {
    Client c;
    Capture v4;
    Capture v6(AF_INET6, v4.port());
    if (!v6.ok()) {
        WARN("skipped: cannot bind [::1] on the same port as 127.0.0.1");
        return;
    }
    // A name for both loopbacks, whatever /etc/hosts says about localhost.
    RunResult r = c.run_client({"send", "-a", "localhost:" + std::to_string(v4.port()), "-k", c.key_file});
    REQUIRE(r.exit_code == 0);
    auto got4 = v4.receive(1000);
    auto got6 = v6.receive(500);
    if (got6.empty()) {
        WARN("skipped the two-family check: localhost resolves to IPv4 only here");
        REQUIRE(got4.size() == 1);
        return;
    }
    REQUIRE(got4.size() == 1);
    REQUIRE(got6.size() == 1);
    wire::ClientData a = c.open(got4[0]), b = c.open(got6[0]);
    CHECK(a.counter == b.counter);
    CHECK(a.dst_ip.to_string() == "127.0.0.1");
    CHECK(b.dst_ip.to_string() == "::1");
    // -4 restricts to IPv4
    REQUIRE(c.run_client({"send", "-4", "-a", "localhost:" + std::to_string(v4.port()), "-k", c.key_file})
                .exit_code == 0);
    CHECK(v4.receive(1000).size() == 1);
    CHECK(v6.receive(300).empty());
}

TEST_CASE("counters are unique and increasing across concurrent processes", "[client][counter]") {
    Client c;
    Capture capture;
    const int kSenders = 20;
    std::vector<pid_t> pids;
    std::vector<std::string> args = {ruroco_bin(), "client",  "send",
                                     "-q",         "-a",      "127.0.0.1:" + std::to_string(capture.port()),
                                     "-k",         c.key_file};
    for (int i = 0; i < kSenders; ++i) {
        pids.push_back(spawn(args, c.dir.file("out" + std::to_string(i)),
                             c.dir.file("err" + std::to_string(i)), c.env()));
    }
    for (pid_t pid : pids) {
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    auto got = capture.receive();
    REQUIRE(got.size() == kSenders);
    std::set<wire::u128> counters;
    for (const auto& datagram : got) counters.insert(c.open(datagram).counter);
    CHECK(counters.size() == kSenders);
    std::string stored = read_text(c.dir.file("state/ruroco/" + c.key.id_hex() + ".counter"));
    CHECK(stored == wire::u128_to_string(*counters.rbegin()) + "\n");
}

TEST_CASE("a counter ahead of the clock is followed by last + 1; reseed brings it back to now",
          "[client][counter]") {
    Client c;
    Capture capture;
    std::string counter_file = c.dir.file("state/ruroco/" + c.key.id_hex() + ".counter");
    mkdir(c.dir.file("state").c_str(), 0700);
    mkdir(c.dir.file("state/ruroco").c_str(), 0700);
    wire::u128 ahead = now_ns() * 2;
    write_text(counter_file, wire::u128_to_string(ahead) + "\n");
    REQUIRE(c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file})
                .exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    CHECK(c.open(got[0]).counter == ahead + 1);

    RunResult reseed = c.run_client({"reseed", "-k", c.key_file});
    REQUIRE(reseed.exit_code == 0);
    wire::u128 now_counter = 0;
    REQUIRE(wire::u128_from_string(read_text(counter_file).substr(0, read_text(counter_file).size() - 1),
                                   now_counter));
    CHECK(now_counter < ahead);
}

TEST_CASE("a corrupt counter file stops the send instead of resetting replay protection",
          "[client][counter][negative]") {
    Client c;
    Capture capture;
    mkdir(c.dir.file("state").c_str(), 0700);
    mkdir(c.dir.file("state/ruroco").c_str(), 0700);
    write_text(c.dir.file("state/ruroco/" + c.key.id_hex() + ".counter"), "12x\n");
    RunResult r =
        c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("corrupt") != std::string::npos);
    CHECK(capture.receive(300).empty());
}

TEST_CASE("a key file that group or others can read is refused, and nothing is sent", "[client][negative]") {
    Client c;
    Capture capture;
    chmod(c.key_file.c_str(), 0644);
    RunResult r =
        c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file});
    check_user_error(r, capture, "chmod 600 " + c.key_file);
    chmod(c.key_file.c_str(), 0640);
    check_user_error(
        c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file}),
        capture, "group or others");
}

TEST_CASE("every bad address, port, IP, option or profile is one line and exit 2", "[client][negative]") {
    Client c;
    Capture capture;
    std::string port = std::to_string(capture.port());
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:0", "-k", c.key_file}), capture, "bad port");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:70000", "-k", c.key_file}), capture, "bad port");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:abc", "-k", c.key_file}), capture, "bad port");
    check_user_error(c.run_client({"send", "-a", "[::1]:x", "-k", c.key_file}), capture, "bad port");
    check_user_error(c.run_client({"send", "-a", "[::1", "-k", c.key_file}), capture, "bad address");
    check_user_error(c.run_client({"send", "-a", "no-such-host.invalid", "-k", c.key_file}), capture,
                     "cannot resolve");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:" + port, "-k", c.key_file, "-i", "1.2.3"}),
                     capture, "-i");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:" + port, "-k", c.dir.file("missing.key")}),
                     capture, "missing.key");
    check_user_error(c.run_client({"send", "-k", c.key_file}), capture, "no server address");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:" + port}), capture, "no key file");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:" + port, "-k", c.key_file, "-4", "-6"}), capture,
                     "-4 and -6");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:" + port, "-k", c.key_file, "--wait", "udp:22"}),
                     capture, "--wait");
    check_user_error(
        c.run_client({"send", "-a", "127.0.0.1:" + port, "-k", c.key_file, "--wait-timeout", "soon"}),
        capture, "--wait-timeout");
    check_user_error(c.run_client({"send", "-a", "127.0.0.1:" + port, "-k", c.key_file, "--bogus"}), capture,
                     "bogus");
    check_user_error(c.run_client({"send", "web1"}), capture, "does not exist");
}

TEST_CASE("addresses: host, host:port, [v6]:port and a bare v6 literal", "[client]") {
    Client c;
    Capture v4;
    REQUIRE(
        c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(v4.port()), "-k", c.key_file}).exit_code ==
        0);
    CHECK(v4.receive().size() == 1);
    Capture v6(AF_INET6, 34020);
    if (v6.ok()) {  // the default port, for the forms that carry none
        REQUIRE(c.run_client({"send", "-a", "::1", "-k", c.key_file}).exit_code == 0);
        REQUIRE(c.run_client({"send", "-a", "[::1]", "-k", c.key_file}).exit_code == 0);
        CHECK(v6.receive().size() == 2);
    } else {
        WARN("skipped the default-port forms: [::1]:34020 is not free here");
    }
}

TEST_CASE("profiles from client.ini, with the command line overriding them", "[client][profile]") {
    Client c;
    Capture capture;
    mkdir(c.dir.file("config").c_str(), 0700);
    mkdir(c.dir.file("config/ruroco").c_str(), 0700);
    write_text(c.dir.file("config/ruroco/client.ini"),
               "; my servers\n[web1]\naddress = 127.0.0.1:" + std::to_string(capture.port()) +
                   "\nkey_file = ~/test.key\ncommand = open_ssh\n");
    REQUIRE(c.run_client({"send", "web1"}).exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    CHECK(c.open(got[0]).cmd_hash == wire::command_hash("open_ssh"));
    REQUIRE(c.run_client({"send", "web1", "-c", "deploy"}).exit_code == 0);
    got = capture.receive();
    REQUIRE(got.size() == 1);
    CHECK(c.open(got[0]).cmd_hash == wire::command_hash("deploy"));

    check_user_error(c.run_client({"send", "web2"}), capture, "no profile [web2]");
    write_text(c.dir.file("config/ruroco/client.ini"), "[web1]\naddres = 127.0.0.1\n");
    check_user_error(c.run_client({"send", "web1"}), capture, "client.ini:2: unknown key 'addres'");
}

TEST_CASE("gen writes a 0600 key and never overwrites; hash prints 16 hex digits", "[client][gen]") {
    Client c;
    std::string path = c.dir.file("new.key");
    RunResult r = c.run_client({"gen", "-o", path});
    REQUIRE(r.exit_code == 0);
    struct stat st;
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    Result<wire::Key> key = load_key_file(path);
    REQUIRE(key.ok());
    CHECK(r.out == key->id_hex() + " " + path + "\n");
    std::string before = read_text(path);
    RunResult again = c.run_client({"gen", "-o", path});
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("already exists") != std::string::npos);
    CHECK(read_text(path) == before);

    RunResult default_place = c.run_client({"gen"});
    REQUIRE(default_place.exit_code == 0);
    CHECK(default_place.out.find(c.dir.file("config/ruroco/")) != std::string::npos);

    CHECK(c.run_client({"hash", "default"}).out == "fe98b07b1ba6b3a2\n");
    CHECK(c.run_client({"hash"}).exit_code == 2);
    CHECK(c.run_client({"hash", ""}).exit_code == 2);
    CHECK(c.run_client({"hash", "a", "b"}).exit_code == 2);
    CHECK(c.run_client({"frobnicate"}).exit_code == 2);
}

TEST_CASE("--wait succeeds when the port opens and fails after its timeout", "[client][wait]") {
    Client c;
    Capture capture;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(listener, 4) == 0);
    socklen_t len = sizeof addr;
    getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    std::string tcp_port = std::to_string(ntohs(addr.sin_port));
    std::string target = "127.0.0.1:" + std::to_string(capture.port());

    RunResult open = c.run_client({"send", "-a", target, "-k", c.key_file, "--wait", "tcp:" + tcp_port});
    CHECK(open.exit_code == 0);
    CHECK(open.err.find("is open") != std::string::npos);
    CHECK(open.out.empty());
    close(listener);  // now nothing listens there

    auto started = std::chrono::steady_clock::now();
    RunResult closed = c.run_client({"send", "-a", target, "-k", c.key_file, "--wait",
                                     "tcp:" + tcp_port + "@127.0.0.1", "--wait-timeout", "1"});
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(closed.exit_code == 1);
    CHECK(closed.err.find("no TCP connect to 127.0.0.1:" + tcp_port + " within 1 s") != std::string::npos);
    CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("concurrent sends after a counter far ahead of the clock take last + 1, last + 2, ...",
          "[client][counter]") {
    Client c;
    Capture capture;
    mkdir(c.dir.file("state").c_str(), 0700);
    mkdir(c.dir.file("state/ruroco").c_str(), 0700);
    std::string counter_file = c.dir.file("state/ruroco/" + c.key.id_hex() + ".counter");
    wire::u128 ahead = now_ns() * 3;
    write_text(counter_file, wire::u128_to_string(ahead) + "\n");
    const int kSenders = 12;
    std::vector<pid_t> pids;
    std::vector<std::string> args = {ruroco_bin(), "client",  "send",
                                     "-q",         "-a",      "127.0.0.1:" + std::to_string(capture.port()),
                                     "-k",         c.key_file};
    for (int i = 0; i < kSenders; ++i) {
        pids.push_back(spawn(args, "/dev/null", c.dir.file("err" + std::to_string(i)), c.env()));
    }
    for (pid_t pid : pids) {
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    auto got = capture.receive();
    REQUIRE(got.size() == kSenders);
    std::set<wire::u128> counters;
    for (const auto& datagram : got) counters.insert(c.open(datagram).counter);
    // Exactly the next kSenders values: none shared, none skipped, none behind the stored one.
    CHECK(counters.size() == kSenders);
    CHECK(*counters.begin() == ahead + 1);
    CHECK(*counters.rbegin() == ahead + kSenders);
    CHECK(read_text(counter_file) == wire::u128_to_string(ahead + kSenders) + "\n");
}

TEST_CASE("a user error sends nothing and leaves no counter behind", "[client][counter][negative]") {
    Client c;
    Capture capture;
    std::string target = "127.0.0.1:" + std::to_string(capture.port());
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "-i", "300.1.1.1"}), capture,
                     "-i");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "--wait", "tcp:0"}), capture,
                     "--wait");
    check_user_error(c.run_client({"send", "-a", "no-such-host.invalid", "-k", c.key_file}), capture,
                     "resolve");
    chmod(c.key_file.c_str(), 0604);
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file}), capture, "chmod 600");
    struct stat st;
    CHECK(stat(c.dir.file("state/ruroco/" + c.key.id_hex() + ".counter").c_str(), &st) != 0);
}

TEST_CASE("a repeated option, -c without a value, or a second SERVER is a usage error",
          "[client][negative]") {
    Client c;
    Capture capture;
    std::string target = "127.0.0.1:" + std::to_string(capture.port());
    check_user_error(c.run_client({"send", "-a", target, "-a", target, "-k", c.key_file}), capture,
                     "--address given more than once");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "-k", c.key_file}), capture,
                     "--key given more than once");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "-c"}), capture, "c");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "-c", ""}), capture, "empty");
    check_user_error(c.run_client({"send", "web1", "web2", "-a", target, "-k", c.key_file}), capture,
                     "one SERVER");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "--wait-timeout", "0"}), capture,
                     "--wait-timeout");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "--wait-timeout", "-1"}), capture,
                     "--wait-timeout");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "--wait-timeout", "3601"}),
                     capture, "--wait-timeout");
    check_user_error(c.run_client({"send", "-a", target, "-k", c.key_file, "-6"}), capture, "127.0.0.1");
}

TEST_CASE("when no address can be sent to, send exits 1 and says why", "[client][negative]") {
    Client c;
    // Broadcast without SO_BROADCAST: the kernel refuses the sendto.
    RunResult r = c.run_client({"send", "-a", "255.255.255.255:9", "-k", c.key_file});
    CHECK(r.exit_code == 1);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.rfind("ruroco-client: could not send to 255.255.255.255:9: ", 0) == 0);
}

TEST_CASE("an IPv6 claimed source is carried as is", "[client]") {
    Client c;
    Capture capture;
    REQUIRE(c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file, "-i",
                          "[2001:db8::5]", "--permissive"})
                .exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    wire::ClientData d = c.open(got[0]);
    CHECK(d.src_ip.to_string() == "2001:db8::5");
    CHECK_FALSE(d.strict);
}

TEST_CASE("profiles: --config, a missing profile or file named, a bad value at file:line",
          "[client][profile]") {
    Client c;
    Capture capture;
    std::string ini = c.dir.file("other.ini");
    write_text(ini, "[db]\naddress = 127.0.0.1:" + std::to_string(capture.port()) + "\nkey_file = " +
                        c.key_file + "\ncommand = backup\nip = 198.51.100.1\npermissive = yes\n");
    REQUIRE(c.run_client({"send", "db", "--config", ini}).exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    wire::ClientData d = c.open(got[0]);
    CHECK(d.cmd_hash == wire::command_hash("backup"));
    CHECK(d.src_ip.to_string() == "198.51.100.1");
    CHECK_FALSE(d.strict);

    check_user_error(c.run_client({"send", "web9", "--config", ini}), capture, "no profile [web9] in " + ini);
    check_user_error(c.run_client({"send", "db", "--config", c.dir.file("none.ini")}), capture,
                     "profile 'db': " + c.dir.file("none.ini") + " does not exist");
    check_user_error(c.run_client({"send", "web1"}), capture,
                     c.dir.file("config/ruroco/client.ini") + " does not exist");
    write_text(ini, "[db]\naddress = 127.0.0.1:" + std::to_string(capture.port()) +
                        "\nkey_file = " + c.key_file + "\nfamily = 5\n");
    check_user_error(c.run_client({"send", "db", "--config", ini}), capture, ini + ":4: family");
}

TEST_CASE("gen without -o writes $XDG_CONFIG_HOME/ruroco/<id>.key in 0700 directories", "[client][gen]") {
    Client c;
    RunResult r = c.run_client({"gen"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.size() == 16 + 1 + c.dir.file("config/ruroco/").size() + 16 + 4 + 1);
    std::string id = r.out.substr(0, 16);
    std::string path = c.dir.file("config/ruroco/" + id + ".key");
    CHECK(r.out == id + " " + path + "\n");
    struct stat st;
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(stat(c.dir.file("config/ruroco").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    Result<wire::Key> key = load_key_file(path);
    REQUIRE(key.ok());
    CHECK(key->id_hex() == id);

    RunResult nowhere = c.run_client({"gen", "-o", c.dir.file("no/such/dir/k.key")});
    CHECK(nowhere.exit_code == 2);
    CHECK(lines(nowhere.err) == 1);
    CHECK(c.run_client({"gen", "extra"}).exit_code == 2);
}

TEST_CASE("reseed prints the new counter and repairs a corrupt counter file", "[client][counter]") {
    Client c;
    Capture capture;
    mkdir(c.dir.file("state").c_str(), 0700);
    mkdir(c.dir.file("state/ruroco").c_str(), 0700);
    std::string counter_file = c.dir.file("state/ruroco/" + c.key.id_hex() + ".counter");
    write_text(counter_file, "not a number\n");
    RunResult broken =
        c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file});
    CHECK(broken.exit_code == 1);
    CHECK(lines(broken.err) == 1);
    CHECK(broken.err.find(counter_file) != std::string::npos);
    CHECK(read_text(counter_file) == "not a number\n");  // never silently reset

    wire::u128 before = now_ns();
    RunResult reseed = c.run_client({"reseed", "-k", c.key_file});
    REQUIRE(reseed.exit_code == 0);
    std::string printed = reseed.out.substr(reseed.out.find(' ') + 1);
    CHECK(reseed.out.rfind(c.key.id_hex() + " ", 0) == 0);
    CHECK(read_text(counter_file) == printed);
    wire::u128 value = 0;
    REQUIRE(wire::u128_from_string(printed.substr(0, printed.size() - 1), value));
    CHECK(value >= before);
    CHECK(value <= now_ns());

    REQUIRE(c.run_client({"send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file})
                .exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    CHECK(c.open(got[0]).counter > value);

    check_user_error(c.run_client({"reseed"}), capture, "-k");
    chmod(c.key_file.c_str(), 0644);
    check_user_error(c.run_client({"reseed", "-k", c.key_file}), capture, "chmod 600");
}

TEST_CASE("usage: --help on stdout and exit 0; no or an unknown subcommand on stderr and exit 2",
          "[client][usage]") {
    Client c;
    RunResult help = c.run_client({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("ruroco-client send [SERVER]") != std::string::npos);
    CHECK(help.err.empty());
    RunResult send_help = c.run_client({"send", "--help"});
    CHECK(send_help.exit_code == 0);
    CHECK(send_help.out.find("--wait-timeout") != std::string::npos);
    RunResult hash_help = c.run_client({"hash", "--help"});
    CHECK(hash_help.exit_code == 0);
    CHECK(hash_help.out.find("hash NAME") != std::string::npos);

    RunResult none = c.run_client({});
    CHECK(none.exit_code == 2);
    CHECK(none.out.empty());
    CHECK(none.err.find("usage:") != std::string::npos);
    RunResult unknown = c.run_client({"frobnicate"});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.out.empty());
    CHECK(unknown.err.rfind("ruroco-client: unknown subcommand 'frobnicate'\n", 0) == 0);
    CHECK(unknown.err.find("usage:") != std::string::npos);
}

TEST_CASE("started as the ruroco-client symlink it behaves the same", "[client][usage]") {
    Client c;
    std::string bin = ruroco_bin();
    std::string link = bin.substr(0, bin.rfind('/') + 1) + "ruroco-client";
    RunResult hash = run({link, "hash", "open_ssh"}, c.env());
    CHECK(hash.exit_code == 0);
    CHECK(hash.out == wire::hash_to_hex(wire::command_hash("open_ssh")) + "\n");
    Capture capture;
    REQUIRE(
        run({link, "send", "-a", "127.0.0.1:" + std::to_string(capture.port()), "-k", c.key_file, "-c", "x"},
            c.env())
            .exit_code == 0);
    auto got = capture.receive();
    REQUIRE(got.size() == 1);
    CHECK(c.open(got[0]).cmd_hash == wire::command_hash("x"));
}
