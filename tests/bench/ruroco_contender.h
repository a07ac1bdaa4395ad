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
    std::size_t idle_processes() const override { return 2; }
    std::uint16_t port() const override { return server_->port(); }
    std::vector<Datagram> junk(JunkKind kind, std::size_t distinct) override;
    std::optional<std::uint64_t> rejected_by_own_account(JunkKind kind) override;
    void accept_knocks(std::size_t count) override;
    std::vector<std::string> knock_argv() const override;
    std::vector<std::string> knock_env() const override;
    std::string stamp_file() const override { return server_->dir().file("stamps"); }
    std::string server_binary() const override;
    std::vector<std::string> own_libraries() const override { return {}; }

  private:
    std::unique_ptr<test::ServerHarness> server_;
};

}  // namespace ruroco::bench
