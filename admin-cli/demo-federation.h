#pragma once
// The demo federation (configs/demo, docs/trust.md): `hreg demo-federation` writes it; DemoFederation
// reads it back: its trust root, its decision files in order, and its published DEMO keys.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "ledger/note/key.h"
#include "ledger/trust/authority.h"

namespace hreg::cli {

// writeDemoFederation writes the demo federation to `dir`; every key derives from a fixed label. The
// root publishes the national working-day calendars of `calendars` (configs/calendar/CN-*.toml) as
// its policy.
void writeDemoFederation(const std::filesystem::path& dir, const std::filesystem::path& calendars);

// DemoFederation reads a directory written by writeDemoFederation. Throws a Fault naming the file
// when one is missing or broken (run from the repository, or pass --configs).
class DemoFederation {
 public:
  explicit DemoFederation(std::filesystem::path dir) : dir_(std::move(dir)) {}
  [[nodiscard]] trust::TrustAnchor root() const;
  // decisions are (log origin, canonical SignedDecision bytes), in the order they are appended.
  [[nodiscard]] std::vector<std::pair<std::string, Bytes>> decisions() const;
  // key is the Ed25519 key in keys/<file>, e.g. "official-140902-culture.key".
  [[nodiscard]] crypto::KeyPair key(const std::string& file) const;
  // checkpointKey is the checkpoint key of the log `origin`.
  [[nodiscard]] note::SignerKey checkpointKey(const std::string& origin) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace hreg::cli
