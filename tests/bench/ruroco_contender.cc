// ruroco under benchmark: see ruroco_contender.h.
#include "tests/bench/ruroco_contender.h"

#include <sodium.h>

#include "wire/hash.h"

namespace ruroco::bench {

namespace {

Datagram random_bytes(std::size_t size) {
    Datagram d(size);
    randombytes_buf(d.data(), d.size());
    return d;
}

Datagram as_datagram(const wire::Packet& p) { return Datagram(p.begin(), p.end()); }

}  // namespace

RurocoContender::RurocoContender(const std::string& stamp_binary) {
    test::ServerOptions options;
    options.rate_per_ip = 1000000;  // the maximum: every datagram must reach the check it is for
    options.extra_server_ini = "rate_global = 100000000\n";
    options.commands_ini = "[default]\nstart = " + stamp_command(stamp_binary, "@DIR@/stamps") + "\n";
    server_ = std::make_unique<test::ServerHarness>(options);
}

void RurocoContender::start() { server_->start(); }
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
            wire::Packet accepted = server_->seal(server_->packet_data("default"));
            send_one(as_datagram(accepted), server_->port());
            pool.push_back(as_datagram(accepted));
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

std::vector<std::string> RurocoContender::knock_argv() const {
    std::string bin = test::ruroco_bin();
    std::string client = bin.substr(0, bin.rfind('/') + 1) + "ruroco-client";
    return {client, "send", "-q", "-4", "-a", "127.0.0.1:" + std::to_string(server_->port()),
            "-k", server_->dir().file("keys/test.key"), "-c", "default"};
}

std::vector<std::string> RurocoContender::knock_env() const {
    return {"XDG_STATE_HOME=" + server_->dir().file("client-state"), "HOME=" + server_->dir().path()};
}

std::uint64_t RurocoContender::judged() {
    std::uint64_t sum = 0;
    for (const auto& [name, count] : server_->counters()) {
        if (name != "tag_checks") sum += count;
    }
    return sum;
}

}  // namespace ruroco::bench
