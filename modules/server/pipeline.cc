// The validation pipeline: see pipeline.h. Cheap checks first so a flood costs little: size,
// then the rate limit, then a key lookup, and only then crypto.
#include "modules/server/pipeline.h"

#include <algorithm>
#include <cstring>

#include "modules/common/log.h"
#include "wire/hash.h"
#include "wire/hex.h"
#include "wire/packet.h"

namespace ruroco {

Pipeline::Pipeline(const ServerConfig& config, wire::KeyRing keys, ReplayState replay)
    : ips_(config.ips),
      skew_ns_(static_cast<wire::u128>(config.max_clock_skew) * 1000000000u),
      keys_(std::move(keys)),
      limiter_(config.rate_per_ip, config.rate_global, config.rate_table),
      replay_(std::move(replay)) {}

wire::DropReason Pipeline::check(const std::uint8_t* data, std::size_t size, const wire::Ip& source,
                                 const wire::Ip& local, std::uint64_t now_ns, wire::ClientData& d,
                                 wire::KeyId& id) {
    using wire::DropReason;
    if (size != wire::kPacketSize) return DropReason::bad_size;                    // 1
    if (!limiter_.allow(source, now_ns)) return DropReason::rate_limited;          // 2
    wire::Packet packet;
    std::memcpy(packet.data(), data, wire::kPacketSize);
    DropReason opened = wire::open_packet(packet, keys_, d);                       // 3, 4, 5
    // Every verdict past unknown_key cost one Poly1305 check: counted, so a flood's price shows.
    if (opened != DropReason::unknown_key) stats_.count_tag_check();
    if (opened != DropReason::none) return opened;
    wire::u128 now = now_ns;
    // 6: future first, so that counter + skew below cannot overflow
    if (d.counter > now + skew_ns_) return DropReason::future;
    if (d.counter + skew_ns_ < now) return DropReason::stale;
    id = wire::packet_key_id(packet);
    if (replay_.is_replay(id, d.counter)) return DropReason::replay;               // 7
    bool destination_ok = ips_.empty() ? d.dst_ip == local                         // 8
                                       : std::find(ips_.begin(), ips_.end(), d.dst_ip) != ips_.end();
    if (!destination_ok) return DropReason::wrong_destination;
    if (d.strict && !d.src_ip.is_zero() && !(d.src_ip == source)) return DropReason::wrong_source;  // 9
    return DropReason::none;
}

Outcome Pipeline::handle(const std::uint8_t* data, std::size_t size, const wire::Ip& source,
                         const wire::Ip& local, std::uint64_t now_ns, wire::CommanderMessage& out) {
    wire::ClientData d;
    wire::KeyId id{};
    wire::DropReason reason = check(data, size, source, local, now_ns, d, id);
    if (reason != wire::DropReason::none) {
        stats_.count(reason);
        return Outcome::dropped;
    }
    Status saved = replay_.accept(id, d.counter);                                   // 10
    if (!saved) {
        // Not counted as accepted: nothing is acted on, and a retry that succeeds counts once.
        stats_.count(LocalFailure::state_write_failed);
        log_error("packet from %s (key %s) not acted on: %s", source.to_string().c_str(),
                  wire::to_hex(id.data(), id.size()).c_str(), saved.error().c_str());
        return Outcome::state_write_failed;
    }
    stats_.count(wire::DropReason::none);
    out.cmd_hash = d.cmd_hash;                                                      // 11 (built)
    out.ip = d.src_ip.is_zero() ? source : d.src_ip;
    log_info("accepted key %s command %s for %s (from %s)", wire::to_hex(id.data(), id.size()).c_str(),
             wire::hash_to_hex(d.cmd_hash).c_str(), out.ip.to_string().c_str(), source.to_string().c_str());
    return Outcome::accepted;
}

}  // namespace ruroco
