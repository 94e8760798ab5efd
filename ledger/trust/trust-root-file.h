#pragma once
// The trust root file: version 1 of the federation's trust root, the anchor every verifier starts
// from (configs/demo/trust-root.toml). TOML, for people to read and compare out of band:
//   version = 1
//   origin = "hreg.example/root"                       # the root log
//   checkpoint_key = "hreg.example/root+1c6a9d1e+AQ…"  # its checkpoint key, a verifier key string
//   threshold = 2                                      # root keys needed to charter or rotate
//   keys = ["5e0f…", "a1b2…", "c3d4…"]                 # Ed25519 public keys, hex
//   valid_from = 1767225600                            # UTC seconds
// Later versions are entries of the root log, never edits of this file.
#include <string>
#include <string_view>

#include "ledger/trust/authority.h"

namespace hreg::trust {

// parseTrustRootFile reads the file's text. Refuses MALFORMED_FILE naming the field and what is
// wrong with it (missing, wrong type, a key that is not 32 bytes of hex, a threshold out of range).
[[nodiscard]] Result<TrustAnchor> parseTrustRootFile(std::string_view text);

// formatTrustRootFile writes a trust root as the file, after `comment` (each line prefixed "# ").
[[nodiscard]] std::string formatTrustRootFile(const TrustAnchor& root, std::string_view comment);

}  // namespace hreg::trust
