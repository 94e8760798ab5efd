// hreg demo: the Xinzhou chain of the demo federation (configs/demo), end to end and narrated: each
// office's log in its own LMDB store, the charters and grants appended by the authority view that
// checks every signer, a township's preliminary review and a county's joint review signed by their
// officials, refusals of those who may not sign, a revoked key, proofs, the parent's cosignature, a
// decision verified from the trust root alone, and every log verified whole. (It grows into the
// multi-node demo once hreg-node exists.)
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "admin-cli/commands.h"
#include "admin-cli/demo-federation.h"
#include "ledger/log/audit.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"
#include "ledger/trust/bundle.h"

namespace hreg::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* COUNTY = "hreg.example/140902";
constexpr const char* TOWNSHIP = "hreg.example/140902001";
const std::vector<std::string> CHAIN = {"hreg.example/root", "hreg.example/14", "hreg.example/1409", COUNTY, TOWNSHIP};

// decision is a signed decision of the demo (log::signedDecision).
Bytes decision(const std::string& origin, Timestamp time, const log::FillBody& fill,
               const std::vector<const crypto::KeyPair*>& signers) {
  return log::signedDecision(origin, time, fill, signers);
}

auto finding(const std::string& department) {
  return [department](schema::Body::Builder body) {
    auto f = body.initJointReviewFinding();
    f.setSubject("140902-W-0001");
    f.setDepartment(department);
    f.setOutcome(schema::ReviewOutcome::PASS);
    f.setNotes("materials, site and records checked");
  };
}

class Demo {
 public:
  Demo(const fs::path& configs, const fs::path& dir, const Clock& clock)
      : federation_(configs), root_(federation_.root()), view_(root_), clock_(clock), dir_(dir) {}

  int run(bool keep);

 private:
  log::OwnLog& logOf(const std::string& origin) {
    if (!logs_.count(origin)) {
      std::string code = origin.substr(origin.find('/') + 1);
      stores_[origin] = std::make_unique<store::Store>(store::Options{dir_ / code});
      logs_[origin] = std::make_unique<log::OwnLog>(*stores_[origin], federation_.checkpointKey(origin), clock_, 2,
                                                    &view_);
    }
    return *logs_[origin];
  }
  // submit appends decisions to one log and narrates each outcome.
  log::AppendOutcome submit(const std::string& origin, const std::vector<std::pair<std::string, Bytes>>& labelled) {
    std::vector<ByteView> views;
    for (const auto& [label, bytes] : labelled) views.emplace_back(bytes);
    auto out = logOf(origin).append(views);
    for (std::size_t i = 0; i < out.results.size(); ++i) {
      if (out.results[i])
        fmt::print("    + {} entry {:>2}  {}\n", origin, out.results[i].value().index, labelled[i].first);
      else
        fmt::print("    - refused  {}\n               {}: {}\n", labelled[i].first, reasonName(out.results[i].error().reason),
                   out.results[i].error().detail);
    }
    return out;
  }

  DemoFederation federation_;
  trust::TrustAnchor root_;
  trust::AuthorityView view_;
  const Clock& clock_;
  fs::path dir_;
  std::map<std::string, std::unique_ptr<store::Store>> stores_;
  std::map<std::string, std::unique_ptr<log::OwnLog>> logs_;
};

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

int Demo::run(bool keep) {
  const Timestamp now = clock_.now();
  fmt::print("hreg demo: the Xinzhou chain of the demo federation (configs/demo; DEMO keys, published)\n");
  fmt::print("  trust root v{}: {} of {} root keys; root log {}\n  stores: {}\n\n", root_.version, root_.threshold,
             root_.keys.size(), root_.origin, dir_.string());

  fmt::print("1. Charters and grants, appended to each office's log. The authority view checks every signer:\n");
  std::map<std::string, std::vector<std::pair<std::string, Bytes>>> byLog;
  for (auto& [origin, bytes] : federation_.decisions())
    if (std::find(CHAIN.begin(), CHAIN.end(), origin) != CHAIN.end()) {
      auto parsed = protocol::parseSignedDecision(bytes).value();
      auto body = parsed.reader().getDecision().getBody();
      std::string label = body.isCharter()  ? fmt::format("charter of {} {}", body.getCharter().getCode().cStr(),
                                                          body.getCharter().getName().cStr())
                          : body.isGrant() ? fmt::format("grant: {}", body.getGrant().getPerson().cStr())
                                           : std::string("policy: the national working-day calendars");
      byLog[origin].emplace_back(label, std::move(bytes));
    }
  for (const std::string& origin : CHAIN) submit(origin, byLog[origin]);

  auto townshipCulture = federation_.key("official-140902001-culture.key");
  std::map<std::string, crypto::KeyPair> county;
  for (const char* d : {"culture", "hrss", "rural", "finance", "market", "land"})
    county.emplace(d, federation_.key(fmt::format("official-140902-{}.key", d)));

  fmt::print("\n2. Workshop 140902-W-0001: the township's preliminary review, then the county's joint review:\n");
  submit(TOWNSHIP, {{"preliminary review by 秀容街道's culture reviewer",
                     decision(TOWNSHIP, now, [](schema::Body::Builder body) {
                       auto r = body.initPreliminaryReview();
                       r.setSubject("140902-W-0001");
                       r.setOutcome(schema::ReviewOutcome::PASS);
                       r.setSiteInspected(true);
                     }, {&townshipCulture})}});
  std::vector<std::pair<std::string, Bytes>> findings;
  for (auto& [department, key] : county)
    findings.emplace_back(fmt::format("{} finding, signed by its reviewer", department),
                          decision(COUNTY, now, finding(department), {&key}));
  auto daemon = federation_.checkpointKey(COUNTY);
  findings.emplace_back("culture finding signed by the township's reviewer",
                        decision(COUNTY, now + 1, finding("culture"), {&townshipCulture}));
  findings.emplace_back("culture finding signed by the hrss reviewer",
                        decision(COUNTY, now + 2, finding("culture"), {&county.at("hrss")}));
  findings.emplace_back("culture finding signed by the node's own checkpoint key",
                        decision(COUNTY, now + 3, finding("culture"), {&daemon.keyPair()}));
  auto second = submit(COUNTY, findings);

  fmt::print("\n3. The finance reviewer's key card is lost: the county leaders revoke it; the key signs nothing more:\n");
  auto leaderA = federation_.key("authority-140902-1.key"), leaderB = federation_.key("authority-140902-2.key");
  const auto& finance = county.at("finance");
  auto third = submit(COUNTY, {{"revocation of the finance reviewer's key (2 of 3 leaders)",
                                decision(COUNTY, now + 10, [&](schema::Body::Builder body) {
                                  auto r = body.initGrantRevocation();
                                  r.setKey(capnp::Data::Reader(finance.publicKey().data(), 32));
                                  r.setEffective(now + 10);
                                  r.setReason("key card lost");
                                }, {&leaderA, &leaderB})},
                               {"finance finding signed with the lost key, back-dated",
                                decision(COUNTY, now - 3600, finding("finance"), {&finance})}});
  fmt::print("   The county's signed checkpoint:\n{}\n", indent(third.signedCheckpoint));

  auto snapshot = stores_[COUNTY]->snapshot();
  auto tree = snapshot.tree(COUNTY);
  const auto& before = second.checkpoint;
  const auto& after = third.checkpoint;
  fmt::print("4. Proofs anyone can check with RFC 9162 arithmetic alone:\n");
  std::uint64_t findingIndex = second.results[0].value().index;
  auto inclusion = merkle::inclusionProof(*tree, findingIndex, after.size);
  auto leaf = merkle::leafHash(*snapshot.entry(COUNTY, findingIndex));
  auto inclusionOk = merkle::verifyInclusion(leaf, findingIndex, after.size, inclusion, after.root);
  fmt::print("   entry {} is in the tree of size {} ({} hashes): {}\n", findingIndex, after.size, inclusion.size(),
             inclusionOk ? "verified" : inclusionOk.error().detail);
  auto consistency = merkle::consistencyProof(*tree, before.size, after.size);
  auto consistencyOk = merkle::verifyConsistency(before.size, after.size, consistency, before.root, after.root);
  fmt::print("   size {} is a prefix of size {} ({} hashes): {}\n\n", before.size, after.size, consistency.size(),
             consistencyOk ? "verified, nothing was rewritten" : consistencyOk.error().detail);

  fmt::print("5. 忻州市 (1409) files the county's checkpoint: it cosigns it (its filing receipt, 备案):\n");
  auto parent = federation_.checkpointKey("hreg.example/1409");
  auto witness = note::SignerKey::fromSeed(parent.name(), note::KeyType::COSIGNATURE_V1, parent.keyPair().seed());
  auto cosigned = note::parseNote(third.signedCheckpoint).value();
  cosigned.signatures.push_back(note::cosign(witness, cosigned.text, now));
  fmt::print("{}", indent(note::formatNote(cosigned)));
  const note::VerifierKey keys[] = {federation_.checkpointKey(COUNTY).verifier(), witness.verifier()};
  auto verified = note::verifyNote(cosigned, keys);
  fmt::print("   → {} signatures verified: the county's checkpoint key and the prefecture's cosignature\n\n",
             verified ? verified.value().size() : 0);

  fmt::print("6. An auditor anywhere verifies the hrss finding from the trust root file and log extracts alone:\n");
  std::uint64_t hrssIndex = 0;
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (findings[i].first.starts_with("hrss") && second.results[i]) hrssIndex = second.results[i].value().index;
  std::uint64_t hrssGrant = 2;  // the county's entries: grants of culture, hrss, ... in configs/demo order
  auto extract = [&](const std::string& origin, std::vector<std::uint64_t> indexes) {
    return trust::extractLog(stores_[origin]->snapshot(), origin, indexes);
  };
  trust::Bundle bundle{{extract("hreg.example/root", {0}), extract("hreg.example/14", {0}),
                        extract("hreg.example/1409", {0}), extract(COUNTY, {hrssGrant, hrssIndex})},
                       COUNTY,
                       hrssIndex};
  auto verdict = trust::verifyBundle(root_, bundle);
  if (!verdict) {
    fmt::print("   → not authentic ({}): {}\n", reasonName(verdict.error().reason), verdict.error().detail);
    return EXIT_REFUSED;
  }
  fmt::print("   → authentic: entry {} under the county's checkpoint of size {}\n", hrssIndex,
             verdict.value().checkpoint.size);
  fmt::print("   → {}", verdict.value().authorized ? "authorized: signed by " : "NOT authorized: ");
  if (verdict.value().authorized)
    for (const auto& s : verdict.value().signers) fmt::print("{} ({})\n", s.person, s.department);
  else
    fmt::print("{}\n", verdict.value().authorized.error().detail);

  fmt::print("\n7. Every log verified whole: each entry, signature, subtree hash and checkpoint:\n");
  for (const std::string& origin : CHAIN) {
    auto report = log::verifyLog(stores_[origin]->snapshot(), origin, federation_.checkpointKey(origin).verifier(), 2);
    if (!report) {
      fmt::print("   {} refused ({}): {}\n", origin, reasonName(report.error().reason), report.error().detail);
      return EXIT_REFUSED;
    }
    fmt::print("   {:<24} {:>3} entries, {:>3} signatures: verified\n", origin, report.value().entries,
               report.value().signatures);
  }
  if (keep) {
    fmt::print("\nThe stores are kept in {}; check one again with\n  hreg tlog verify-store {} --origin {} --key {}\n",
               dir_.string(), (dir_ / "140902").string(), COUNTY, federation_.checkpointKey(COUNTY).verifier().toString());
  } else {
    fmt::print("\nDone; the temporary stores were removed (use --keep to keep them).\n");
  }
  return EXIT_OK;
}

}  // namespace

void addDemoCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo-ledger", "The ledger alone, in one process: the Xinzhou chain's logs, signers "
                                                "checked, proofs, verification (the network demo is `hreg demo`)");
  cmd->footer("Example: hreg demo-ledger --configs configs/demo --keep");
  auto keep = std::make_shared<bool>(false);
  auto configs = std::make_shared<std::string>("configs/demo");
  cmd->add_flag("--keep", *keep, "keep the demo's stores and print how to verify them");
  cmd->add_option("--configs", *configs, "the demo federation's directory")->capture_default_str();
  cmd->callback([keep, configs] {
    SystemClock clock;
    auto dir = fs::temp_directory_path() / fmt::format("hreg-demo-{}", clock.now());
    int code = EXIT_OK;
    {
      Demo demo(*configs, dir, clock);
      code = demo.run(*keep);
    }
    if (!*keep) fs::remove_all(dir);
    if (code != EXIT_OK) throw CLI::RuntimeError(code);
  });
}

}  // namespace hreg::cli
