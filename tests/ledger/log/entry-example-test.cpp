// The worked examples of docs/formats.md, "Entries", "Cosignatures" and "Subject maps": these exact
// bytes are printed there. If this test fails, a format changed: update docs/formats.md and the
// version strings.
#include "ledger/log/signing.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "ledger/log/own-log.h"
#include "ledger/map/subject-map.h"
#include "ledger/merkle/hash.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"
#include "protocol/canonical.h"
#include "tests/support/temp-dir.h"

namespace hreg::log {
namespace {

// shownInFormatsDoc: docs/formats.md prints `text` as a fenced block.
bool shownInFormatsDoc(const std::string& text) {
  std::ifstream in(std::string(HREG_SOURCE_DIR) + "/docs/formats.md");
  std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return docs.find("```\n" + text + "```\n") != std::string::npos;
}

std::map<std::string, std::string> readVector() {
  std::ifstream in(std::string(HREG_VECTORS_DIR) + "/hreg-entry-example.txt");
  std::map<std::string, std::string> fields;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') {
      auto space = line.find(' ');
      fields[line.substr(0, space)] = line.substr(space + 1);
    }
  return fields;
}

TEST(EntryExample, TheDocumentedBytesAreWhatHregProduces) {
  auto fields = readVector();
  crypto::Seed officialSeed, leaderSeed;
  officialSeed.fill(0x11);
  leaderSeed.fill(0x22);
  auto official = crypto::KeyPair::fromSeed(officialSeed);
  auto leader = crypto::KeyPair::fromSeed(leaderSeed);

  capnp::MallocMessageBuilder builder;
  auto signedDecision = builder.initRoot<schema::SignedDecision>();
  auto decision = signedDecision.initDecision();
  decision.initHeader().setOrigin("hreg.example/140902");
  decision.getHeader().setTime(1795392000);  // 2026-11-23T00:00:00Z
  auto grant = decision.initBody().initGrant();
  grant.setPerson("张伟");
  grant.setDepartment("culture");
  grant.initRoles(1).set(0, "reviewer");
  grant.setKey(capnp::Data::Reader(official.publicKey().data(), 32));
  grant.setValidFrom(1795392000);

  auto message = protocol::signingMessage(decision.asReader());
  EXPECT_EQ(toHex(message.bytes()), fields["signing_message"]);
  Bytes signedBytes = addSignature(signedDecision.asReader(), leader);
  EXPECT_EQ(toHex(signedBytes), fields["signed_decision"]);
  Bytes entry = protocol::encodeEntry(0, 1795395600, protocol::parseSignedDecision(signedBytes).value().reader());
  EXPECT_EQ(toHex(entry), fields["entry"]);
  EXPECT_EQ(toHex(merkle::leafHash(entry)), fields["leaf_hash"]);
  EXPECT_EQ(toHex(leader.publicKey()), fields["leader_key"]);
}

TEST(EntryExample, TheDocumentedCosignedCheckpointIsWhatHregProduces) {
  auto fields = readVector();
  crypto::Seed checkpointSeed, witnessSeed;
  checkpointSeed.fill(0x33);
  witnessSeed.fill(0x44);
  auto key = note::SignerKey::fromSeed("hreg.example/140902", note::KeyType::ED25519, checkpointSeed);
  auto witness = note::SignerKey::fromSeed("hreg.example/1409", note::KeyType::COSIGNATURE_V1, witnessSeed);
  EXPECT_EQ(key.verifier().toString(), fields["checkpoint_key"]);
  EXPECT_EQ(witness.verifier().toString(), fields["witness_key"]);
  note::Checkpoint checkpoint{"hreg.example/140902", 1, {}, {}};
  auto leaf = fromHex(fields["leaf_hash"]).value();
  std::copy(leaf.begin(), leaf.end(), checkpoint.root.begin());  // a tree of one leaf: its root is the leaf hash
  auto signedNote = note::parseNote(signCheckpoint(checkpoint, key)).value();
  signedNote.signatures.push_back(note::cosign(witness, signedNote.text, 1795395660));
  EXPECT_EQ(toHex(asBytes(note::formatNote(signedNote))), fields["cosigned_checkpoint_hex"]);
  EXPECT_TRUE(shownInFormatsDoc(note::formatNote(signedNote))) << "docs/formats.md, \"Cosignatures\", should show:\n"
                                                               << note::formatNote(signedNote);
}

// The same checkpoint as an hreg log signs it: the county's own log appends the decision as entry 0 at
// 1795395600, and its checkpoint carries the subject map's root as its one extension line. A grant is
// an authority record and names no subject, so the map holds one key, the authority key: count 1,
// newest 0, chain SHA-256(0x02 || 32 zero bytes || leaf hash); a map of one key has that key's leaf
// as its root.
TEST(EntryExample, TheDocumentedCheckpointOfTheLogCommitsToItsSubjectMap) {
  auto fields = readVector();
  crypto::Seed checkpointSeed, witnessSeed;
  checkpointSeed.fill(0x33);
  witnessSeed.fill(0x44);
  testing::TempDir dir;
  store::Store store{{dir.path()}};
  FakeClock clock{1795395600};
  OwnLog log(store, note::SignerKey::fromSeed("hreg.example/140902", note::KeyType::ED25519, checkpointSeed), clock);
  Bytes signedBytes = fromHex(fields["signed_decision"]).value();
  const ByteView submitted[] = {ByteView(signedBytes)};
  auto out = log.append(submitted);
  ASSERT_TRUE(out.results[0]);
  EXPECT_EQ(toHex(*store.snapshot().entry("hreg.example/140902", 0)), fields["entry"]);
  EXPECT_EQ(toHex(out.results[0].value().leafHash), fields["leaf_hash"]);

  map::Value value = map::extend(map::Value{}, 0, out.results[0].value().leafHash);
  EXPECT_EQ(value.count, 1u);
  EXPECT_EQ(toHex(map::authorityKey()), fields["map_authority_key"]);
  EXPECT_EQ(toHex(value.chain), fields["map_chain"]);
  EXPECT_EQ(log.mapRoot(), map::leafHash(map::Leaf{map::authorityKey(), value}));
  EXPECT_EQ(toHex(log.mapRoot()), fields["map_root"]);
  EXPECT_EQ(out.checkpoint.extensions, std::vector<std::string>{map::checkpointLine(log.mapRoot())});

  auto witness = note::SignerKey::fromSeed("hreg.example/1409", note::KeyType::COSIGNATURE_V1, witnessSeed);
  auto signedNote = note::parseNote(out.signedCheckpoint).value();
  signedNote.signatures.push_back(note::cosign(witness, signedNote.text, 1795395660));
  EXPECT_EQ(toHex(asBytes(note::formatNote(signedNote))), fields["cosigned_checkpoint_with_map_hex"]);
  EXPECT_TRUE(shownInFormatsDoc(note::formatNote(signedNote))) << "docs/formats.md, \"Cosignatures\", should show:\n"
                                                               << note::formatNote(signedNote);
}

}  // namespace
}  // namespace hreg::log
