// The pieces `send` is built from, one by one: address text to resolved addresses, the knock
// sender (one counter, a dst_ip per address), the --wait target and poller, and the XDG paths.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "modules/client/paths.h"
#include "modules/client/resolve.h"
#include "modules/client/sender.h"
#include "modules/client/waiter.h"
#include "modules/common/address.h"
#include "tests/client/capture.h"
#include "tests/support/keys.h"
#include "wire/hash.h"

using namespace ruroco;
using namespace ruroco::test;

namespace {

std::vector<ResolvedAddress> resolve_text(const std::string& text, int family = AF_UNSPEC) {
    Result<HostPort> hp = parse_host_port(text);
    INFO(text);
    REQUIRE(hp.ok());
    Result<std::vector<ResolvedAddress>> r = resolve_host(hp->host, hp->port, family, SOCK_DGRAM);
    INFO((r.ok() ? "" : r.error()));
    REQUIRE(r.ok());
    return *r;
}

wire::ClientData open_with(const wire::Key& key, const std::vector<std::uint8_t>& datagram) {
    REQUIRE(datagram.size() == wire::kPacketSize);
    wire::KeyRing ring;
    REQUIRE(ring.add(test::copy_key(key)));
    wire::ClientData d;
    REQUIRE(wire::decode_datagram(datagram.data(), datagram.size(), ring, d) == wire::DropReason::none);
    return d;
}

bool ipv6_loopback() {
    return Capture(AF_INET6).ok();
}

// Sets an environment variable for one scope, restoring the old value after.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr) {
            setenv(name, value, 1);
        } else {
            unsetenv(name);
        }
    }
    ~ScopedEnv() {
        if (old_) {
            setenv(name_, old_->c_str(), 1);
        } else {
            unsetenv(name_);
        }
    }

  private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("address text to resolved addresses: host, host:port, [v6]:port, bare v6", "[client][address]") {
    auto a = resolve_text("127.0.0.1");
    REQUIRE(a.size() == 1);
    CHECK(a[0].text == "127.0.0.1:34020");
    CHECK(a[0].addr.ss_family == AF_INET);
    auto b = resolve_text("127.0.0.1:5000");
    REQUIRE(b.size() == 1);
    CHECK(b[0].text == "127.0.0.1:5000");
    auto c = resolve_text("[::1]:5000");
    REQUIRE(c.size() == 1);
    CHECK(c[0].text == "[::1]:5000");
    CHECK(c[0].addr.ss_family == AF_INET6);
    auto d = resolve_text("::1");
    REQUIRE(d.size() == 1);
    CHECK(d[0].text == "[::1]:34020");
    auto e = resolve_text("localhost:7");
    REQUIRE_FALSE(e.empty());
    for (std::size_t i = 0; i < e.size(); ++i) {
        for (std::size_t j = i + 1; j < e.size(); ++j) CHECK(e[i].text != e[j].text);  // deduplicated
    }
}

TEST_CASE("bad ports and addresses are refused before any lookup", "[client][address][negative]") {
    for (const char* bad : {"h:0", "h:70000", "h:abc", "h:", "[::1]:x", "[::1", "", "h:-1", "h:1 "}) {
        INFO(bad);
        CHECK_FALSE(parse_host_port(bad).ok());
    }
    CHECK(parse_host_port("h:0").error().find("bad port") != std::string::npos);
}

TEST_CASE("resolution honours the family and names what failed", "[client][address][negative]") {
    Result<std::vector<ResolvedAddress>> v6_of_v4 = resolve_host("127.0.0.1", 1, AF_INET6, SOCK_DGRAM);
    REQUIRE_FALSE(v6_of_v4.ok());
    CHECK(v6_of_v4.error().find("'127.0.0.1'") != std::string::npos);
    Result<std::vector<ResolvedAddress>> none =
        resolve_host("no-such-host.invalid", 1, AF_UNSPEC, SOCK_DGRAM);
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().find("cannot resolve 'no-such-host.invalid'") != std::string::npos);
    CHECK(resolve_text("localhost", AF_INET)[0].addr.ss_family == AF_INET);
}

TEST_CASE("one knock to several addresses: the same counter, each its own dst_ip", "[client][sender]") {
    if (!ipv6_loopback()) {
        WARN("skipped: IPv6 loopback is not available here");
        return;
    }
    Capture v4;
    Capture v6(AF_INET6);
    REQUIRE(v4.ok());
    REQUIRE(v6.ok());
    std::vector<ResolvedAddress> addresses = resolve_text("127.0.0.1:" + std::to_string(v4.port()));
    for (const ResolvedAddress& a : resolve_text("[::1]:" + std::to_string(v6.port())))
        addresses.push_back(a);
    wire::Key key = std::move(wire::Key::generate().value());
    wire::ClientData data;
    data.cmd_hash = wire::command_hash("open_ssh");
    data.counter = 123456789;
    data.strict = false;
    data.src_ip = *wire::Ip::parse("203.0.113.9");

    std::vector<SendOutcome> outcomes = send_knock(key, data, addresses);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].error == 0);
    CHECK(outcomes[1].error == 0);
    CHECK(outcomes[0].address == addresses[0].text);
    auto got4 = v4.receive();
    auto got6 = v6.receive();
    REQUIRE(got4.size() == 1);
    REQUIRE(got6.size() == 1);
    CHECK(std::memcmp(got4[0].data() + wire::kNonceOffset, got6[0].data() + wire::kNonceOffset,
                      wire::kNonceSize) != 0);  // a fresh nonce per copy
    wire::ClientData a = open_with(key, got4[0]), b = open_with(key, got6[0]);
    CHECK(a.counter == 123456789);
    CHECK(b.counter == 123456789);
    CHECK(a.dst_ip.to_string() == "127.0.0.1");
    CHECK(b.dst_ip.to_string() == "::1");
    for (const wire::ClientData& d : {a, b}) {
        CHECK(d.cmd_hash == wire::command_hash("open_ssh"));
        CHECK_FALSE(d.strict);
        CHECK(d.src_ip.to_string() == "203.0.113.9");
    }
}

TEST_CASE("a failed address is reported with its errno and does not stop the others",
          "[client][sender][negative]") {
    Capture v4;
    // Broadcast without SO_BROADCAST: the kernel refuses the sendto (EACCES).
    std::vector<ResolvedAddress> addresses = resolve_text("255.255.255.255:9");
    for (const ResolvedAddress& a : resolve_text("127.0.0.1:" + std::to_string(v4.port())))
        addresses.push_back(a);
    wire::Key key = std::move(wire::Key::generate().value());
    std::vector<SendOutcome> outcomes = send_knock(key, wire::ClientData{}, addresses);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].error != 0);
    CHECK(outcomes[0].address == "255.255.255.255:9");
    CHECK(outcomes[1].error == 0);
    auto got = v4.receive();
    REQUIRE(got.size() == 1);
    CHECK(open_with(key, got[0]).dst_ip.to_string() == "127.0.0.1");
}

TEST_CASE("--wait targets: tcp:PORT and tcp:PORT@HOST", "[client][wait]") {
    Result<WaitTarget> a = parse_wait_target("tcp:22");
    REQUIRE(a.ok());
    CHECK(a->port == 22);
    CHECK_FALSE(a->host.has_value());
    Result<WaitTarget> b = parse_wait_target("tcp:2222@[::1]");
    REQUIRE(b.ok());
    CHECK(b->port == 2222);
    CHECK(*b->host == "[::1]");
    for (const char* bad : {"", "22", "udp:22", "tcp:", "tcp:0", "tcp:65536", "tcp:x", "tcp:22@", "TCP:22"}) {
        INFO(bad);
        Result<WaitTarget> r = parse_wait_target(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("--wait") != std::string::npos);
    }
}

TEST_CASE("wait_for_tcp: true at once for a listener, false after the timeout for a closed port",
          "[client][wait]") {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(listener, 4) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    std::uint16_t port = ntohs(addr.sin_port);
    auto started = std::chrono::steady_clock::now();
    CHECK(wait_for_tcp("127.0.0.1", port, AF_UNSPEC, 5));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    close(listener);

    started = std::chrono::steady_clock::now();
    CHECK_FALSE(wait_for_tcp("127.0.0.1", port, AF_UNSPEC, 1));
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(took >= std::chrono::milliseconds(900));  // it kept trying for the whole second
    CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("XDG directories: absolute values honoured, relative ones ignored, HOME as fallback",
          "[client][paths]") {
    ScopedEnv home("HOME", "/home/u");
    {
        ScopedEnv config("XDG_CONFIG_HOME", "/cfg");
        ScopedEnv state("XDG_STATE_HOME", "/st");
        CHECK(client_config_dir() == "/cfg/ruroco");
        CHECK(client_state_dir() == "/st/ruroco");
    }
    {
        ScopedEnv config("XDG_CONFIG_HOME", "relative/cfg");
        ScopedEnv state("XDG_STATE_HOME", nullptr);
        CHECK(client_config_dir() == "/home/u/.config/ruroco");
        CHECK(client_state_dir() == "/home/u/.local/state/ruroco");
    }
    CHECK(expand_home("~") == "/home/u");
    CHECK(expand_home("~/k/web1.key") == "/home/u/k/web1.key");
    CHECK(expand_home("/abs/~/x") == "/abs/~/x");
    CHECK(expand_home("~other/x") == "~other/x");
}
