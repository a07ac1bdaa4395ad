// Token buckets: see rate_limiter.h. Burst equals rate (BEHAVIOUR.md). Linear probing over a
// few slots; when all are taken the stalest is evicted, which favours sources that are active.
#include "modules/server/rate_limiter.h"

#include <sodium.h>

#include <new>

namespace ruroco {

namespace {
constexpr int kProbes = 8;
constexpr std::uint64_t kNsPerS = 1000000000ull;
constexpr std::uint64_t kToken = 1000000000ull;  // in tokens_nano
}  // namespace

// calloc, not std::vector: a large calloc is fresh zero pages from the kernel, which become
// resident only when a source first lands on them. The table's size is still the bound (2.6 MB
// at the default 65,536 slots), but an idle server does not hold it all (measured by tests/bench).
RateLimiter::RateLimiter(std::uint32_t rate_per_ip, std::uint32_t rate_global, std::uint32_t table_size)
    : rate_per_ip_(rate_per_ip),
      rate_global_(rate_global),
      slot_count_(table_size),
      slots_(static_cast<Slot*>(std::calloc(table_size, sizeof(Slot)))) {
    if (slots_ == nullptr) throw std::bad_alloc();
    randombytes_buf(hash_key_, sizeof hash_key_);
    global_.tokens_nano = static_cast<std::uint64_t>(rate_global) * kToken;
}

std::uint64_t RateLimiter::slot_hash(const wire::Ip& ip) const {
    std::uint64_t h = 0;
    crypto_shorthash(reinterpret_cast<unsigned char*>(&h), ip.bytes.data(), ip.bytes.size(), hash_key_);
    return h;
}

bool RateLimiter::take(Bucket& b, std::uint32_t rate, std::uint64_t now_ns) {
    std::uint64_t cap = static_cast<std::uint64_t>(rate) * kToken;
    if (now_ns > b.updated_ns) {
        std::uint64_t elapsed = now_ns - b.updated_ns;
        // Refill: rate tokens per second is rate billionths per ns, exact. One second fills
        // any bucket (burst = rate), and capping there keeps elapsed * rate plus the tokens
        // below 2^64 for every 32-bit rate.
        if (elapsed > kNsPerS) elapsed = kNsPerS;
        std::uint64_t add = elapsed * rate;
        b.tokens_nano = b.tokens_nano + add > cap ? cap : b.tokens_nano + add;
        b.updated_ns = now_ns;
    }
    if (b.tokens_nano < kToken) return false;
    b.tokens_nano -= kToken;
    return true;
}

bool RateLimiter::allow(const wire::Ip& source, std::uint64_t now_ns) {
    std::size_t n = slot_count_;
    std::size_t start = static_cast<std::size_t>(slot_hash(source) % n);
    Slot* chosen = nullptr;
    Slot* stalest = nullptr;
    for (int i = 0; i < kProbes; ++i) {
        Slot& s = slots_[(start + static_cast<std::size_t>(i)) % n];
        if (s.used && s.ip == source) {
            chosen = &s;
            break;
        }
        if (!s.used) {
            if (chosen == nullptr) chosen = &s;
            continue;
        }
        if (stalest == nullptr || s.bucket.updated_ns < stalest->bucket.updated_ns) stalest = &s;
    }
    if (chosen == nullptr) chosen = stalest;
    if (!chosen->used || !(chosen->ip == source)) {
        chosen->used = true;
        chosen->ip = source;
        chosen->bucket.updated_ns = now_ns;
        chosen->bucket.tokens_nano = static_cast<std::uint64_t>(rate_per_ip_) * kToken;
    }
    if (!take(chosen->bucket, rate_per_ip_, now_ns)) return false;
    return take(global_, rate_global_, now_ns);
}

}  // namespace ruroco
