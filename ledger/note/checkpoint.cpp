#include "ledger/note/checkpoint.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/note/note.h"
#include "ledger/note/text.h"

namespace hreg::note {

std::string Checkpoint::body() const {
  std::string out = fmt::format("{}\n{}\n{}\n", origin, size, toBase64(root));
  for (const std::string& e : extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> parseCheckpoint(std::string_view body) {
  if (auto ok = checkNoteText(body); !ok)
    return refuse(Reason::MALFORMED_CHECKPOINT, "checkpoint text: " + ok.error().detail);
  std::vector<std::string_view> lines;
  std::string_view rest = body.substr(0, body.size() - 1);
  while (true) {
    auto end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  if (lines.size() < 3)
    return refuse(Reason::MALFORMED_CHECKPOINT, "a checkpoint has at least three lines: origin, size, root hash");
  Checkpoint c;
  if (lines[0].empty()) return refuse(Reason::MALFORMED_CHECKPOINT, "the origin line is empty");
  c.origin = std::string(lines[0]);
  std::string_view size = lines[1];
  bool digits = !size.empty() && size.size() <= 20 && std::all_of(size.begin(), size.end(), [](char ch) {
    return ch >= '0' && ch <= '9';
  });
  if (!digits || (size.size() > 1 && size[0] == '0'))
    return refuse(Reason::MALFORMED_CHECKPOINT, fmt::format("the size line '{}' is not a decimal number without "
                                                            "leading zeros", size));
  std::uint64_t value = 0;
  for (char ch : size) {
    auto digit = static_cast<std::uint64_t>(ch - '0');
    if (value > (UINT64_MAX - digit) / 10)
      return refuse(Reason::MALFORMED_CHECKPOINT, fmt::format("the size {} does not fit in 64 bits", size));
    value = value * 10 + digit;
  }
  c.size = value;
  auto root = fromBase64(lines[2]);
  if (!root || root->size() != merkle::HASH_BYTES)
    return refuse(Reason::MALFORMED_CHECKPOINT, fmt::format("the root line '{}' is not base64 of 32 bytes", lines[2]));
  std::copy(root->begin(), root->end(), c.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty())
      return refuse(Reason::MALFORMED_CHECKPOINT, fmt::format("extension line {} is empty", i + 1));
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace hreg::note
