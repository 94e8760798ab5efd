#pragma once
// hreg-node's configuration file (TOML; configs/demo/nodes/*.toml, reference in docs/operations.md).
// Relative paths are relative to the file's directory. Every error names the file, the key and
// what to write instead.
#include <filesystem>
#include <optional>
#include <string>

#include "ledger/note/key.h"
#include "ledger/trust/authority.h"
#include "protocol/core/clock.h"

namespace hreg::node {

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  [[nodiscard]] std::string toString() const;
};

// parseEndpoint reads "host:port" (IPv4, name, or [IPv6]:port). Refuses MALFORMED_FILE.
[[nodiscard]] Result<Endpoint> parseEndpoint(std::string_view text);

struct ParentConfig {
  std::string origin;
  Endpoint address;
  note::VerifierKey key;  // pinned: the parent's checkpoint key
};

struct NodeConfig {
  std::filesystem::path file;
  std::string origin;
  std::filesystem::path dataDir;
  std::filesystem::path checkpointKeyFile;
  std::filesystem::path trustRootFile;
  unsigned verifyThreads = 2;
  Endpoint peerListen;
  Endpoint apiListen;
  std::optional<ParentConfig> parent;
  std::optional<Timestamp> clockStart;  // tests and the demo only: the clock starts here
  std::filesystem::path clockFile;      // tests and the demo only: the time is read from this file (FileClock)
  std::string logLevel = "info";
  bool recover = false;  // --recover: hold submissions until the parent confirms the own log (after a restore)
  // limits
  std::uint32_t batchEntries = 1024;      // entries asked per Fetch
  std::size_t maxFrameBytes = std::size_t{16} << 20;
  std::size_t maxRequestBytes = std::size_t{1} << 20;
  // The HTTP API's per-client token bucket (node/rate-limit.h): refill per second and size.
  // apiRequestsPerSecond 0: no limit.
  double apiRequestsPerSecond = 20;
  double apiBurst = 200;
};

// loadConfig reads and checks a config file. Refuses MALFORMED_FILE with "FILE: key: problem".
[[nodiscard]] Result<NodeConfig> loadConfig(const std::filesystem::path& file);

// loadSignerKey reads a note signer key file ('#' comment lines allowed). Refuses MALFORMED_KEY/FILE.
[[nodiscard]] Result<note::SignerKey> loadSignerKey(const std::filesystem::path& file);

}  // namespace hreg::node
