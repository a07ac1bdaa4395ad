// ruroco as the benchmark runs it: the privilege-separated server (as ruroco.service runs it),
// started by the e2e harness with rate limits raised so every datagram reaches its check.
#pragma once

#include <memory>

#include "tests/bench/contender.h"
#include "tests/e2e/server_harness.h"

namespace ruroco::bench {

class RurocoContender : public Contender {
  public:
    explicit RurocoContender(const std::string& stamp_binary);
    std::string name() const override { return "ruroco"; }
    void start() override;
    void stop() override;
    pid_t root_pid() override { return server_->parent_pid(); }
    std::uint16_t port() const override { return server_->port(); }
    std::vector<Datagram> junk(JunkKind kind, std::size_t distinct) override;
    std::vector<std::string> knock_argv() const override;
    std::vector<std::string> knock_env() const override;
    std::string stamp_file() const override { return server_->dir().file("stamps"); }
    std::string server_binary() const override;

    // The server's own count of datagrams judged so far (every reason), for a cross-check.
    std::uint64_t judged();

  private:
    std::unique_ptr<test::ServerHarness> server_;
    std::string key_file_;
};

}  // namespace ruroco::bench
