// ruroco under benchmark: see ruroco_contender.h.
#include "tests/bench/ruroco_contender.h"

#include <sodium.h>

#include <filesystem>
#include <stdexcept>

#include "wire/hash.h"

namespace ruroco::bench {

namespace {

Datagram random_bytes(std::size_t size) {
    Datagram d(size);
    randombytes_buf(d.data(), d.size());
    return d;
}

Datagram as_datagram(const wire::Packet& p) { return Datagram(p.begin(), p.end()); }

// The counter each kind of junk must land in, if the server judged it as the benchmark means.
const char* reason_counter(JunkKind kind) {
    switch (kind) {
        case JunkKind::wrong_size: return "bad_size";
        case JunkKind::random: return "unknown_key";
        case JunkKind::forged: return "bad_tag";
        case JunkKind::replay: return "replay";
        case JunkKind::stale: return "stale";
    }
    return "?";
}

}  // namespace

RurocoContender::RurocoContender(const std::string& stamp_binary) {
    test::ServerOptions options;
    options.rate_per_ip = 1000000;  // the maximum: every datagram must reach the check it is for
    options.extra_server_ini = "rate_global = 100000000\n";
    options.commands_ini = "[default]\nstart = " + stamp_command(stamp_binary, "@DIR@/stamps") + "\n";
    server_ = std::make_unique<test::ServerHarness>(options);
}

void RurocoContender::start() {
    std::filesystem::remove_all(server_->dir().file("state"));  // empty replay state
    server_->start();
}

void RurocoContender::stop() { server_->stop(); }

std::string RurocoContender::server_binary() const { return test::ruroco_bin(); }

std::vector<Datagram> RurocoContender::junk(JunkKind kind, std::size_t distinct) {
    std::vector<Datagram> pool;
    switch (kind) {
        case JunkKind::wrong_size:
            for (std::size_t i = 0; i < distinct; ++i) pool.push_back(random_bytes(wire::kPacketSize - 1));
            break;
        case JunkKind::random:
            for (std::size_t i = 0; i < distinct; ++i) pool.push_back(random_bytes(wire::kPacketSize));
            break;
        case JunkKind::forged:
            // This server's key id, then a random nonce, tag and ciphertext.
            for (std::size_t i = 0; i < distinct; ++i) {
                Datagram d = random_bytes(wire::kPacketSize);
                std::copy(server_->key().id().begin(), server_->key().id().end(), d.begin());
                pool.push_back(d);
            }
            break;
        case JunkKind::replay: {
            pool.push_back(as_datagram(server_->seal(server_->packet_data("default"))));
            knock_one_at_a_time(name(), pool, server_->port(), stamp_file());
            break;
        }
        case JunkKind::stale:
            for (std::size_t i = 0; i < distinct; ++i) {
                wire::ClientData data = server_->packet_data("default");
                data.counter -= static_cast<wire::u128>(3600) * 1000000000u;
                pool.push_back(as_datagram(server_->seal(data)));
            }
            break;
    }
    return pool;
}

std::optional<std::uint64_t> RurocoContender::rejected_by_own_account(JunkKind kind) {
    std::map<std::string, std::uint64_t> counters = server_->counters();
    auto it = counters.find(reason_counter(kind));
    if (it == counters.end()) throw std::runtime_error(std::string("ruroco logs no counter ") + reason_counter(kind));
    return it->second;
}

void RurocoContender::accept_knocks(std::size_t count) {
    std::vector<Datagram> knocks;
    for (std::size_t i = 0; i < count; ++i) {
        wire::ClientData data = server_->packet_data("default");
        data.counter += i;  // strictly increasing even within one clock tick
        knocks.push_back(as_datagram(server_->seal(data)));
    }
    knock_one_at_a_time(name(), knocks, server_->port(), stamp_file());
}

std::vector<std::string> RurocoContender::knock_argv() const {
    std::string bin = test::ruroco_bin();
    std::string client = bin.substr(0, bin.rfind('/') + 1) + "ruroco-client";
    return {client, "send", "-q", "-4", "-a", "127.0.0.1:" + std::to_string(server_->port()),
            "-k", server_->dir().file("keys/test.key"), "-c", "default"};
}

std::vector<std::string> RurocoContender::knock_env() const {
    return {"XDG_STATE_HOME=" + server_->dir().file("client-state"), "HOME=" + server_->dir().path()};
}

}  // namespace ruroco::bench
