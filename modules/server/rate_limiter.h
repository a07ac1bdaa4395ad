// Token buckets per source address and one global bucket (PROTOCOL.md 3, step 2), in a table
// allocated once: a flood from any number of spoofed sources cannot grow memory beyond it.
// Slots are found by a keyed hash with a random key, so an attacker cannot aim collisions at a
// victim.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "wire/ip.h"

namespace ruroco {

class RateLimiter {
  public:
    RateLimiter(std::uint32_t rate_per_ip, std::uint32_t rate_global, std::uint32_t table_size);
    // Takes one token from the source's bucket and one from the global bucket.
    bool allow(const wire::Ip& source, std::uint64_t now_ns);
    std::size_t table_size() const { return slot_count_; }

  private:
    struct Bucket {
        std::uint64_t updated_ns = 0;
        // Billionths of a token: a refill is elapsed_ns * rate exactly, so the fractions that
        // frequent calls add are never rounded away.
        std::uint64_t tokens_nano = 0;
    };
    // All-zero bytes are an unused slot: the table comes from calloc (see the constructor).
    struct Slot {
        wire::Ip ip;
        Bucket bucket;
        bool used = false;
    };
    struct FreeSlots {
        void operator()(Slot* slots) const { std::free(slots); }
    };

    static bool take(Bucket& b, std::uint32_t rate, std::uint64_t now_ns);
    std::uint64_t slot_hash(const wire::Ip& ip) const;

    std::uint32_t rate_per_ip_;
    std::uint32_t rate_global_;
    Bucket global_;
    std::size_t slot_count_;
    std::unique_ptr<Slot[], FreeSlots> slots_;
    unsigned char hash_key_[16];
};

}  // namespace ruroco
