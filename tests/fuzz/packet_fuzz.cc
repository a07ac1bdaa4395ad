// Fuzzes what a hostile network sends: wire::decode_datagram, and the server Pipeline on the
// raw input. To get past the tag, an input of 58 bytes or more also has its first 58 bytes
// sealed with the fixed key and run through a pipeline, so the steps after decryption (clock,
// replay, destination, source, the replay state write) see fuzzer-chosen plaintexts.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "modules/common/server_config.h"
#include "modules/server/pipeline.h"
#include "modules/server/replay_state.h"
#include "tests/fuzz/fuzz_key.h"
#include "wire/ip.h"
#include "wire/keyring.h"
#include "wire/packet.h"

namespace {

using namespace ruroco;

// The first valid vector's counter, so that seed is accepted rather than stale.
constexpr std::uint64_t kNowNs = 1700000000123456789ull;

struct Fixture {
    wire::KeyRing ring;
    wire::Key key = fuzz::fixed_key();
    // The smallest rate table: a pipeline is built per input, and the default 65536 slots
    // would make allocating it most of the cost.
    ServerConfig config = parse_server_config_text("fuzz-server.ini",
                                                   "[server]\nmax_clock_skew = 30\nrate_table = 16\n");
    std::string dir_name;
    int dir_fd = -1;
    wire::Ip source = ip("192.0.2.1");
    wire::Ip local = ip("127.0.0.1");

    Fixture() {
        ring.add(fuzz::fixed_key());
        // Under $TMPDIR, so run.sh can remove it with the rest of its work directory.
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ruroco-fuzz-XXXXXX";
        if (mkdtemp(templ.data()) == nullptr) std::abort();
        dir_name = templ;
        dir_fd = open(templ.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0 || !config.problems.empty()) std::abort();
    }
    static wire::Ip ip(const char* text) {
        auto parsed = wire::Ip::parse(text);
        if (!parsed) std::abort();
        return parsed.value();
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

// A fresh pipeline and an empty replay state per datagram, so every input is judged alone and
// the rate limiter (fixed source, fixed clock) never shadows the later steps.
void run_pipeline(const std::uint8_t* data, std::size_t size) {
    Fixture& f = fixture();
    unlinkat(f.dir_fd, kReplayFileName, 0);
    auto replay = ReplayState::load(f.dir_fd, f.dir_name);
    if (!replay) std::abort();
    wire::KeyRing ring;
    ring.add(fuzz::fixed_key());
    Pipeline pipeline(f.config, std::move(ring), std::move(replay.value()));
    wire::CommanderMessage out;
    pipeline.handle(data, size, f.source, f.local, kNowNs, out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Fixture& f = fixture();
    wire::ClientData decoded;
    wire::decode_datagram(data, size, f.ring, decoded);
    run_pipeline(data, size);
    if (size >= wire::kPlaintextSize) {
        wire::Plaintext plaintext;
        std::memcpy(plaintext.data(), data, plaintext.size());
        wire::Nonce nonce{};
        nonce.fill(0xa5);
        wire::Packet packet = wire::seal_plaintext(f.key, plaintext, nonce);
        run_pipeline(packet.data(), packet.size());
    }
    return 0;
}
