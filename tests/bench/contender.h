// One server under benchmark (ruroco or fwknopd): how to start it, the junk of each rejection
// kind it is fed, the client command that knocks on it, and where its command leaves its stamp.
// Both are set up to do the same job: a knock from 127.0.0.1 runs `stamp FILE`.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/bench/blaster.h"

namespace ruroco::bench {

enum class JunkKind {
    wrong_size,  // too short for either protocol: rejected before any crypto
    random,      // right size and shape, random content
    forged,      // looks like this server's packet, but the authentication fails
    replay,      // a packet the server accepted once, sent again
    stale,       // authentic, but its timestamp is an hour old
};

const char* junk_kind_label(JunkKind kind);

class Contender {
  public:
    virtual ~Contender() = default;
    virtual std::string name() const = 0;
    virtual void start() = 0;  // returns once the server is ready for datagrams
    virtual void stop() = 0;
    virtual pid_t root_pid() = 0;
    virtual std::uint16_t port() const = 0;
    // `distinct` datagrams of that kind (replay: always the one accepted packet).
    virtual std::vector<Datagram> junk(JunkKind kind, std::size_t distinct) = 0;
    // argv of one client run that knocks from 127.0.0.1.
    virtual std::vector<std::string> knock_argv() const = 0;
    virtual std::vector<std::string> knock_env() const = 0;
    virtual std::string stamp_file() const = 0;
    virtual std::string server_binary() const = 0;
};

// `stamp FILE` (stamp.cc): appends the wall-clock time in nanoseconds to FILE. Both servers
// run it as their command, so the latency measured is client start -> command start.
std::string stamp_command(const std::string& stamp_binary, const std::string& file);

}  // namespace ruroco::bench
