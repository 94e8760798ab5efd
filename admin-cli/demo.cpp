// hreg demo: one county office's log, end to end, narrated. (The multi-node federation demo grows
// from this once hreg-node exists.) Everything is real: LMDB files in a temporary directory, Ed25519
// signatures, RFC 9162 proofs, C2SP checkpoints and a cosignature.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "admin-cli/commands.h"
#include "ledger/log/audit.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"

namespace hreg::cli {
namespace {

constexpr const char* COUNTY_ORIGIN = "hreg.example/140902";      // 忻府区, Xinzhou, Shanxi
constexpr const char* PREFECTURE_ORIGIN = "hreg.example/1409";    // 忻州市

struct Official {
  std::string person;
  std::string department;
  std::string role;
  crypto::KeyPair key = crypto::KeyPair::generate();
};

// decision starts a signed decision for the county log at `time`; `fill` sets its body.
template <class Fill>
Bytes decision(Timestamp time, Fill&& fill, const std::vector<const crypto::KeyPair*>& signers) {
  capnp::MallocMessageBuilder builder;
  auto signedDecision = builder.initRoot<schema::SignedDecision>();
  auto header = signedDecision.initDecision().initHeader();
  header.setOrigin(COUNTY_ORIGIN);
  header.setTime(time);
  fill(signedDecision.getDecision().initBody());
  Bytes bytes = protocol::canonicalBytes(signedDecision.asReader());
  for (const crypto::KeyPair* key : signers)
    bytes = log::addSignature(protocol::parseSignedDecision(bytes).value().reader(), *key);
  return bytes;
}

Bytes grant(const Official& o, Timestamp time, const std::vector<const crypto::KeyPair*>& leaders) {
  return decision(time, [&](schema::Body::Builder body) {
    auto g = body.initGrant();
    g.setPerson(o.person);
    g.setDepartment(o.department);
    g.initRoles(1).set(0, o.role);
    const auto& pk = o.key.publicKey();
    g.setKey(capnp::Data::Reader(pk.data(), pk.size()));
    g.setValidFrom(time);
  }, leaders);
}

Bytes revocation(const Official& o, Timestamp time, const std::vector<const crypto::KeyPair*>& leaders) {
  return decision(time, [&](schema::Body::Builder body) {
    auto r = body.initGrantRevocation();
    const auto& pk = o.key.publicKey();
    r.setKey(capnp::Data::Reader(pk.data(), pk.size()));
    r.setEffective(time);
    r.setReason("key card lost; reported by the official");
  }, leaders);
}

std::string shortHex(const merkle::Hash& h) { return toHex(h).substr(0, 16) + "…"; }

void printOutcome(const log::AppendOutcome& out, const std::vector<std::string>& labels) {
  for (std::size_t i = 0; i < out.results.size(); ++i) {
    const auto& r = out.results[i];
    if (r)
      fmt::print("    + entry {:>2}  {}  leaf {}\n", r.value().index, labels[i], shortHex(r.value().leafHash));
    else
      fmt::print("    - refused   {}: {} ({})\n", labels[i], reasonName(r.error().reason), r.error().detail);
  }
}

// indent prefixes each non-empty line of a note for display.
std::string indent(const std::string& text) {
  std::string out;
  bool lineStart = true;
  for (char c : text) {
    if (lineStart && c != '\n') out += "      ";
    out.push_back(c);
    lineStart = c == '\n';
  }
  return out;
}

log::AppendOutcome submit(log::OwnLog& county, const std::vector<Bytes>& decisions) {
  std::vector<ByteView> views(decisions.begin(), decisions.end());
  return county.append(views);
}

int runDemo(bool keep) {
  SystemClock clock;
  auto dir = std::filesystem::temp_directory_path() / fmt::format("hreg-demo-{}", clock.now());
  fmt::print("hreg demo: the log of the culture and tourism office of 忻府区 (140902), Xinzhou, Shanxi\n");
  fmt::print("  store: {}\n\n", (dir / "store").string());

  store::Store store({dir / "store"});
  auto checkpointKey = note::SignerKey::generate(COUNTY_ORIGIN, note::KeyType::ED25519);
  auto prefectureWitness = note::SignerKey::generate(PREFECTURE_ORIGIN, note::KeyType::COSIGNATURE_V1);
  const auto countyVerifier = checkpointKey.verifier();
  log::OwnLog county(store, note::SignerKey::parse(checkpointKey.toString()).value(), clock, 2);
  fmt::print("1. The node's checkpoint key (online; signs checkpoints only):\n    {}\n", countyVerifier.toString());
  crypto::KeyPair leaderA = crypto::KeyPair::generate(), leaderB = crypto::KeyPair::generate();
  fmt::print("   Two office leaders hold the county's authority keys offline.\n\n");

  std::vector<Official> officials;
  for (auto [person, department] : {std::pair{"张伟 Zhang Wei", "culture"}, {"李娜 Li Na", "hrss"},
                                    {"王强 Wang Qiang", "rural"}, {"刘洋 Liu Yang", "finance"},
                                    {"陈静 Chen Jing", "market"}, {"赵磊 Zhao Lei", "land"}})
    officials.push_back(Official{person, department, "reviewer"});
  fmt::print("2. The leaders grant official keys to the six departments of a joint review (both sign each grant):\n");
  std::vector<Bytes> grants;
  std::vector<std::string> labels;
  for (const Official& o : officials) {
    grants.push_back(grant(o, clock.now(), {&leaderA, &leaderB}));
    labels.push_back(fmt::format("grant: {} ({})", o.person, o.department));
  }
  auto first = submit(county, grants);
  printOutcome(first, labels);
  fmt::print("   Signed checkpoint:\n{}\n", indent(first.signedCheckpoint));

  fmt::print("3. A key card is lost: its grant is revoked, a new key granted; two bad submissions are refused:\n");
  Official replacement{"刘洋 Liu Yang", "finance", "reviewer"};
  Bytes tampered = grant(officials[0], clock.now(), {&leaderA});
  std::string_view name = "Zhang";  // the altered copy names somebody else: 张伟 Chang Wei
  auto at = std::search(tampered.begin(), tampered.end(), name.begin(), name.end());
  if (at != tampered.end()) *at = 'C';
  auto second = submit(county, {revocation(officials[3], clock.now(), {&leaderA, &leaderB}),
                                grant(replacement, clock.now(), {&leaderA, &leaderB}),
                                grant(officials[0], clock.now(), {&checkpointKey.keyPair()}), tampered});
  printOutcome(second, {"revocation of 刘洋's lost key", "grant: 刘洋 Liu Yang (finance), new key",
                        "a grant signed by the daemon's own key", "a grant altered after signing"});
  fmt::print("   Signed checkpoint:\n{}\n", indent(second.signedCheckpoint));

  auto snapshot = store.snapshot();
  auto tree = snapshot.tree(COUNTY_ORIGIN);
  const auto& cp1 = first.checkpoint;
  const auto& cp2 = second.checkpoint;
  fmt::print("4. Proofs anyone can check with RFC 9162 arithmetic alone:\n");
  std::uint64_t index = 2;
  auto inclusion = merkle::inclusionProof(*tree, index, cp2.size);
  auto leaf = merkle::leafHash(*snapshot.entry(COUNTY_ORIGIN, index));
  fmt::print("   inclusion of entry {} in the tree of size {} ({} hashes):\n", index, cp2.size, inclusion.size());
  for (const auto& h : inclusion) fmt::print("      {}\n", toHex(h));
  auto inclusionOk = merkle::verifyInclusion(leaf, index, cp2.size, inclusion, cp2.root);
  fmt::print("   → {}\n", inclusionOk ? "verified against the signed root" : inclusionOk.error().detail);
  auto consistency = merkle::consistencyProof(*tree, cp1.size, cp2.size);
  fmt::print("   consistency of size {} with size {} ({} hashes):\n", cp1.size, cp2.size, consistency.size());
  for (const auto& h : consistency) fmt::print("      {}\n", toHex(h));
  auto consistencyOk = merkle::verifyConsistency(cp1.size, cp2.size, consistency, cp1.root, cp2.root);
  fmt::print("   → {}\n\n", consistencyOk ? "the log only grew: nothing was rewritten" : consistencyOk.error().detail);

  fmt::print("5. The parent, 忻州市 (1409), checks the consistency and cosigns the checkpoint (its filing receipt):\n");
  auto cosigned = note::parseNote(second.signedCheckpoint).value();
  cosigned.signatures.push_back(note::cosign(prefectureWitness, cosigned.text, clock.now()));
  fmt::print("{}\n", indent(note::formatNote(cosigned)));
  const note::VerifierKey both[] = {countyVerifier, prefectureWitness.verifier()};
  auto verified = note::verifyNote(cosigned, both);
  fmt::print("   → {} signature(s) verified: county checkpoint key and prefecture witness\n\n",
             verified ? verified.value().size() : 0);

  fmt::print("6. An auditor verifies the whole log from the store: every entry, signature, hash and the checkpoint:\n");
  auto report = log::verifyLog(snapshot, COUNTY_ORIGIN, countyVerifier, 2);
  if (!report) {
    fmt::print("   → refused ({}): {}\n", reasonName(report.error().reason), report.error().detail);
    return EXIT_REFUSED;
  }
  fmt::print("   → {} entries, {} signatures, checkpoint of size {} verified\n\n", report.value().entries,
             report.value().signatures, report.value().checkpoint.size);
  if (keep) {
    fmt::print("The store is kept in {}; check it again with:\n  hreg tlog verify-store {} --origin {} --key {}\n",
               dir.string(), (dir / "store").string(), COUNTY_ORIGIN, countyVerifier.toString());
  } else {
    std::filesystem::remove_all(dir);
    fmt::print("Done; the temporary store was removed (use --keep to keep it).\n");
  }
  return EXIT_OK;
}

}  // namespace

void addDemoCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "Run the demo: an office's log, signed entries, proofs, verification");
  cmd->footer("Example: hreg demo --keep");
  auto keep = std::make_shared<bool>(false);
  cmd->add_flag("--keep", *keep, "keep the demo's store and print how to verify it");
  cmd->callback([keep] {
    int code = runDemo(*keep);
    if (code != EXIT_OK) throw CLI::RuntimeError(code);
  });
}

}  // namespace hreg::cli
