// Decision files (decision-file.h, docs/formats.md "Decision files").
#include "admin-cli/decision-file.h"

#include <fmt/format.h>

#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "ledger/rules/subject.h"
#include "protocol/limits.h"

namespace hreg::cli {

namespace fs = std::filesystem;

Result<DecisionFile> readDecisionFile(const fs::path& path) {
  // Base64 of the largest entry, and room for comments: anything longer is not a decision file.
  const std::size_t limit = limits::MAX_ENTRY_BYTES * 4 / 3 + 64 * 1024;
  std::string text = tlog::readInput(path.string(), limit + 1);
  const std::string name = path.string();
  if (text.size() > limit)
    return refuse(Reason::MALFORMED_FILE, fmt::format("{} is longer than any decision file ({} bytes)", name, limit));
  std::optional<std::string_view> payload;
  int number = 0;
  for (std::string_view line : tlog::splitLines(text)) {
    ++number;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (payload)
      return refuse(Reason::MALFORMED_FILE,
                    fmt::format("{}:{}: a second data line; a decision file holds one base64 line after its "
                                "'#' comments (was it edited by hand? draft it again with hreg draft)", name, number));
    payload = line;
  }
  if (!payload)
    return refuse(Reason::MALFORMED_FILE,
                  fmt::format("{} holds no decision: only '#' comments or nothing (write one with hreg draft)", name));
  auto bytes = fromBase64(*payload);
  if (!bytes)
    return refuse(Reason::MALFORMED_FILE,
                  fmt::format("{}: the data line is not base64; the file was damaged in transit, ask the sender "
                              "for it again", name));
  auto parsed = protocol::parseSignedDecision(*bytes);
  if (!parsed) return refuse(parsed.error().reason, fmt::format("{}: {}", name, parsed.error().detail));
  return DecisionFile{std::move(*bytes), std::move(parsed).value()};
}

std::string decisionFileText(ByteView canonicalSignedDecision) {
  auto parsed = protocol::parseSignedDecision(canonicalSignedDecision);
  if (!parsed) fail("decisionFileText: not a canonical SignedDecision: " + parsed.error().detail);
  auto decision = parsed.value().reader().getDecision();
  std::string text = "# hreg decision: check it with `hreg show FILE`, sign it with `hreg sign FILE`\n";
  text += fmt::format("# log: {}\n", decision.getHeader().getOrigin().cStr());
  text += fmt::format("# kind: {}\n", rules::kindName(decision.getBody().which()));
  for (const std::string& subject : rules::subjectsOf(decision.getBody())) text += fmt::format("# subject: {}\n", subject);
  text += fmt::format("# signatures: {}\n", parsed.value().reader().getSignatures().size());
  text += toBase64(canonicalSignedDecision) + "\n";
  return text;
}

void writeDecisionFile(const fs::path& path, ByteView canonicalSignedDecision, bool overwrite) {
  tlog::writeFileAtomically(path.string(), decisionFileText(canonicalSignedDecision), overwrite);
}

}  // namespace hreg::cli
