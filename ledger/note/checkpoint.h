#pragma once
// C2SP tlog-checkpoint: the body of a signed note that commits to a log's tree head.
//   <origin>\n<decimal tree size>\n<base64 root hash>\n[<extension line>\n]...
// Example (the spec's own):
//   example.com/behind-the-sofa
//   20852163
//   CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
// Parsing accepts only canonical bodies: no leading zeros in the size, a 32-byte root, no empty line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/merkle/hash.h"
#include "protocol/core/result.h"

namespace hreg::note {

struct Checkpoint {
  std::string origin;  // e.g. "hreg.example/140902"
  std::uint64_t size = 0;
  merkle::Hash root{};
  std::vector<std::string> extensions;

  // body is the note text of this checkpoint.
  [[nodiscard]] std::string body() const;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// parseCheckpoint reads a checkpoint body (note text). Refuses MALFORMED_CHECKPOINT naming the bad line.
[[nodiscard]] Result<Checkpoint> parseCheckpoint(std::string_view body);

}  // namespace hreg::note
