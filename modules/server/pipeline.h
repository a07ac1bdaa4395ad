// The server's validation pipeline: PROTOCOL.md section 3, the eleven steps in their order,
// each failure counted under its reason. Allocates nothing for a dropped datagram.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "modules/common/server_config.h"
#include "modules/server/drop_stats.h"
#include "modules/server/rate_limiter.h"
#include "modules/server/replay_state.h"
#include "wire/commander_message.h"
#include "wire/keyring.h"
#include "wire/packet.h"

namespace ruroco {

enum class Outcome { accepted, dropped, state_write_failed };

class Pipeline {
  public:
    Pipeline(const ServerConfig& config, wire::KeyRing keys, ReplayState replay);

    // Steps 1 to 10. On accepted, out holds the commander message (step 11 is the caller's:
    // it owns the link to the commander).
    Outcome handle(const std::uint8_t* data, std::size_t size, const wire::Ip& source,
                   const wire::Ip& local, std::uint64_t now_ns, wire::CommanderMessage& out);

    void replace_keys(wire::KeyRing keys) { keys_ = std::move(keys); }
    std::size_t key_count() const { return keys_.size(); }
    DropStats& stats() { return stats_; }

  private:
    wire::DropReason check(const std::uint8_t* data, std::size_t size, const wire::Ip& source,
                           const wire::Ip& local, std::uint64_t now_ns, wire::ClientData& data_out,
                           wire::KeyId& id_out);

    std::vector<wire::Ip> ips_;
    wire::u128 skew_ns_;
    wire::KeyRing keys_;
    RateLimiter limiter_;
    ReplayState replay_;
    DropStats stats_;
};

}  // namespace ruroco
