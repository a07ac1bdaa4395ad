// fwknopd as the benchmark runs it: Debian's fwknop-server 2.6.10 in UDP server mode (no
// libpcap) on loopback, one stanza whose command cycle runs the same stamp command as ruroco,
// and packets made by Debian's fwknop client (Rijndael + HMAC-SHA256, its recommended mode).
#pragma once

#include <string>

#include "tests/bench/contender.h"
#include "tests/support/process.h"

namespace ruroco::bench {

class FwknopContender : public Contender {
  public:
    // Why fwknopd cannot be benchmarked here ("" if it can).
    static std::string why_unavailable();
    static std::string version();  // "fwknopd 2.6.10"

    explicit FwknopContender(const std::string& stamp_binary);
    ~FwknopContender() override;
    std::string name() const override { return "fwknopd"; }
    void start() override;
    void stop() override;
    pid_t root_pid() override { return pid_; }
    std::size_t idle_processes() const override { return 1; }
    std::uint16_t port() const override { return kPort; }
    std::vector<Datagram> junk(JunkKind kind, std::size_t distinct) override;
    std::optional<std::uint64_t> rejected_by_own_account(JunkKind kind) override;
    void accept_knocks(std::size_t count) override;
    std::vector<std::string> knock_argv() const override;
    std::vector<std::string> knock_env() const override;
    std::string stamp_file() const override { return dir_.file("stamps"); }
    std::string server_binary() const override;
    std::vector<std::string> own_libraries() const override;

  private:
    struct Keys {
        std::string rijndael_base64, hmac_base64;
    };
    static constexpr std::uint16_t kPort = 62201;  // fwknopd's default; the namespace is ours

    Keys generate_keys() const;
    std::vector<std::string> client_argv(const Keys& keys) const;
    // `count` packets made by the client without sending them, `extra` added to its options.
    std::vector<Datagram> make_packets(const Keys& keys, std::size_t count, const std::string& extra);

    test::TempDir dir_;
    Keys keys_;
    pid_t pid_ = 0;
};

}  // namespace ruroco::bench
