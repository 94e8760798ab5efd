#pragma once
// Decision files: a signed decision as it passes between officials, from `hreg draft` through each
// `hreg sign` to `hreg submit`. The file is text (docs/formats.md, "Decision files"): comment lines
// starting with '#' that say, for people, what the decision is, then one line of base64 holding the
// canonical SignedDecision bytes. Only the base64 line counts; the comments are rewritten from it on
// every write, so an edited comment can never change what is signed or submitted:
//   # hreg decision
//   # log: hreg.example/140902
//   # kind: joint-review-result
//   # subject: 140902001-W-0001
//   # signatures: 2
//   AAAAAAAAAgAEAAAA...
#include <filesystem>
#include <string>

#include "protocol/canonical.h"
#include "protocol/core/result.h"

namespace hreg::cli {

// DecisionFile is a decision file read back: its canonical bytes, parsed.
struct DecisionFile {
  Bytes bytes;                              // canonical SignedDecision
  protocol::Parsed<schema::SignedDecision> decision;  // views `bytes`' copy inside the parse
};

// readDecisionFile reads and parses a decision file. Refuses MALFORMED_FILE when there is no base64
// line, more than one, or bad base64; MALFORMED_ENTRY (from parseSignedDecision) when the bytes are not
// a canonical SignedDecision. Throws tlog::UsageError when the file is missing or unreadable.
[[nodiscard]] Result<DecisionFile> readDecisionFile(const std::filesystem::path& path);

// decisionFileText is the text of a decision file holding `canonicalSignedDecision`.
[[nodiscard]] std::string decisionFileText(ByteView canonicalSignedDecision);

// writeDecisionFile writes a decision file: to a temporary file beside `path`, then renamed over it,
// so a crash leaves the old file or the new, never half of one. With `overwrite` false an existing
// file is refused (tlog::UsageError). A failing disk is a Fault.
void writeDecisionFile(const std::filesystem::path& path, ByteView canonicalSignedDecision, bool overwrite);

}  // namespace hreg::cli
