#include "ledger/trust/trust-root-file.h"

#include <fmt/format.h>

#include <sstream>
#include <toml++/toml.h>

#include "ledger/note/key.h"

namespace hreg::trust {
namespace {

Result<PublicKey> keyFromHex(std::string_view hex, std::string_view field) {
  auto bytes = fromHex(hex);
  if (!bytes || bytes->size() != crypto::PUBLIC_KEY_BYTES)
    return refuse(Reason::MALFORMED_FILE, fmt::format("{}: '{}' is not an Ed25519 public key (64 hex digits)", field,
                                                      hex));
  PublicKey key;
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

}  // namespace

Result<TrustAnchor> parseTrustRootFile(std::string_view text) {
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return refuse(Reason::MALFORMED_FILE, fmt::format("the trust root file is not valid TOML: {} (line {})",
                                                      e.description(), e.source().begin.line));
  }
  TrustAnchor root;
  auto version = table["version"].value<std::int64_t>();
  auto origin = table["origin"].value<std::string>();
  auto checkpointKey = table["checkpoint_key"].value<std::string>();
  auto threshold = table["threshold"].value<std::int64_t>();
  auto validFrom = table["valid_from"].value<std::int64_t>();
  const toml::array* keys = table["keys"].as_array();
  if (!version || *version != 1)
    return refuse(Reason::MALFORMED_FILE, "version: the trust root file holds version 1; later versions are entries "
                                          "of the root log");
  if (!origin || origin->empty()) return refuse(Reason::MALFORMED_FILE, "origin: missing; name the root log");
  if (!checkpointKey) return refuse(Reason::MALFORMED_FILE, "checkpoint_key: missing; give the root log's verifier key");
  auto verifier = note::parseVerifierKey(*checkpointKey);
  if (!verifier) return refuse(Reason::MALFORMED_FILE, "checkpoint_key: " + verifier.error().detail);
  if (verifier.value().name != *origin || verifier.value().type != note::KeyType::ED25519)
    return refuse(Reason::MALFORMED_FILE, "checkpoint_key: an Ed25519 note key whose name is the origin");
  if (!keys || keys->empty()) return refuse(Reason::MALFORMED_FILE, "keys: missing; list the root keys in hex");
  for (const toml::node& k : *keys) {
    auto hex = k.value<std::string>();
    if (!hex) return refuse(Reason::MALFORMED_FILE, "keys: every key is a string of hex");
    HREG_TRY(key, keyFromHex(*hex, "keys"));
    root.keys.push_back(key);
  }
  if (!threshold || *threshold < 1 || static_cast<std::size_t>(*threshold) > root.keys.size())
    return refuse(Reason::MALFORMED_FILE, fmt::format("threshold: between 1 and the {} keys", root.keys.size()));
  root.version = 1;
  root.origin = *origin;
  root.checkpointKey = verifier.value().key;
  root.threshold = static_cast<std::uint8_t>(*threshold);
  root.validFrom = validFrom.value_or(0);
  return root;
}

std::string formatTrustRootFile(const TrustAnchor& root, std::string_view comment) {
  std::string out;
  std::istringstream lines{std::string(comment)};
  for (std::string line; std::getline(lines, line);) out += line.empty() ? "#\n" : "# " + line + "\n";
  auto verifier = note::makeVerifierKey(root.origin, note::KeyType::ED25519, root.checkpointKey).value();
  out += fmt::format("version = {}\norigin = \"{}\"\ncheckpoint_key = \"{}\"\nthreshold = {}\nvalid_from = {}  # {}\n",
                     root.version, root.origin, verifier.toString(), root.threshold, root.validFrom,
                     formatUtc(root.validFrom));
  out += "keys = [\n";
  for (const PublicKey& k : root.keys) out += fmt::format("  \"{}\",\n", toHex(k));
  out += "]\n";
  return out;
}

}  // namespace hreg::trust
