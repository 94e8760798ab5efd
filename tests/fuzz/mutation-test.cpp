// Every parser that reads input from a file or a peer, fed random bytes and random mutations of valid
// input: each answer is a value or a refusal, never a crash (run under ASan and UBSan in CI).
#include <gtest/gtest.h>

#include <kj/exception.h>

#include <algorithm>
#include <random>

#include "ledger/log/decision.h"
#include "ledger/merkle/proof.h"
#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "ledger/note/note.h"
#include "tests/support/decisions.h"

namespace hreg {
namespace {

constexpr int ROUNDS = 3000;

// mutate flips, inserts, deletes or truncates a few bytes of `input`.
std::string mutate(std::string input, std::mt19937_64& random) {
  std::uniform_int_distribution<int> op(0, 3), byte(0, 255);
  int edits = 1 + static_cast<int>(random() % 4);
  for (int e = 0; e < edits; ++e) {
    std::size_t at = input.empty() ? 0 : random() % input.size();
    switch (op(random)) {
      case 0:
        if (!input.empty()) input[at] = static_cast<char>(byte(random));
        break;
      case 1: input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(byte(random))); break;
      case 2:
        if (!input.empty()) input.erase(at, 1);
        break;
      default: input.resize(at); break;
    }
  }
  return input;
}

std::string randomBytes(std::mt19937_64& random) {
  std::string s(random() % 200, '\0');
  for (char& c : s) c = static_cast<char>(random());
  return s;
}

TEST(Mutation, NotesCheckpointsAndKeysAreRefusedNotCrashedOn) {
  std::mt19937_64 random(1);
  auto key = note::SignerKey::fromSeed("hreg.example/140902", note::KeyType::ED25519, crypto::Seed{1});
  auto witness = note::SignerKey::fromSeed("hreg.example/1409", note::KeyType::COSIGNATURE_V1, crypto::Seed{2});
  note::Note n{note::Checkpoint{"hreg.example/140902", 42, merkle::emptyRoot(), {}}.body(), {}};
  note::signNote(n, key);
  n.signatures.push_back(note::cosign(witness, n.text, 1795392000));
  const std::string valid = note::formatNote(n);
  const note::VerifierKey trusted[] = {key.verifier(), witness.verifier()};
  const std::string vkey = key.verifier().toString(), skey = key.toString();
  for (int i = 0; i < ROUNDS; ++i) {
    std::string input = i % 5 == 0 ? randomBytes(random) : mutate(valid, random);
    if (auto parsed = note::parseNote(input)) {
      (void)note::verifyNote(parsed.value(), trusted);
      (void)note::parseCheckpoint(parsed.value().text);
    }
    (void)note::parseCheckpoint(input);
    (void)note::parseVerifierKey(i % 5 == 0 ? input : mutate(vkey, random));
    (void)note::SignerKey::parse(i % 5 == 0 ? input : mutate(skey, random));
  }
}

TEST(Mutation, EntriesAndDecisionsAreRefusedNotCrashedOn) {
  std::mt19937_64 random(2);
  auto official = crypto::KeyPair::fromSeed(crypto::Seed{3});
  Bytes decision = testing::grantDecision("hreg.example/140902", 1795392000, official.publicKey(), "张伟", {&official});
  Bytes entry = protocol::encodeEntry(7, 1795392000, protocol::parseSignedDecision(decision).value().reader());
  std::string validDecision(asChars(decision)), validEntry(asChars(entry));
  int accepted = 0;
  for (int i = 0; i < ROUNDS; ++i) {
    std::string d = i % 5 == 0 ? randomBytes(random) : mutate(validDecision, random);
    if (auto parsed = protocol::parseSignedDecision(asBytes(d))) {
      auto reader = parsed.value().reader();
      try {
        auto cut = protocol::signingMessageOf(parsed.value().bytes(), reader.getDecision());
        auto encoded = protocol::signingMessage(reader.getDecision());
        EXPECT_TRUE(std::equal(cut.bytes().begin(), cut.bytes().end(), encoded.bytes().begin(), encoded.bytes().end()))
            << "the signing message cut from the bytes differs from the re-encoded one";
      } catch (const kj::Exception&) {
        // an unreadable decision: the checks below refuse it
      }
      auto checked = log::checkDecision(parsed.value().reader(), "hreg.example/140902", crypto::PublicKey{});
      accepted += checked.has_value();
    }
    std::string e = i % 5 == 0 ? randomBytes(random) : mutate(validEntry, random);
    if (auto parsed = protocol::parseEntry(asBytes(e))) {
      try {
        auto reader = parsed.value().reader().getSigned().getDecision();
        auto cut = protocol::signingMessageOfEntry(parsed.value().bytes(), reader);
        auto encoded = protocol::signingMessage(reader);
        EXPECT_TRUE(std::equal(cut.bytes().begin(), cut.bytes().end(), encoded.bytes().begin(), encoded.bytes().end()))
            << "the signing message cut from an entry's bytes differs from the re-encoded one";
      } catch (const kj::Exception&) {
        // an unreadable decision inside a parsable entry: checkEntry refuses it
      }
    }
  }
  EXPECT_EQ(accepted, 0) << "a mutated decision passed its signature check";
}

TEST(Mutation, ProofsAreRefusedNotCrashedOn) {
  std::mt19937_64 random(3);
  for (int i = 0; i < ROUNDS; ++i) {
    std::vector<Bytes> raw(random() % 70);
    for (auto& h : raw) h.assign(random() % 3 == 0 ? random() % 40 : 32, static_cast<std::uint8_t>(random()));
    auto proof = merkle::proofFromBytes(raw);
    if (!proof) continue;
    std::uint64_t size = random() % 1000, index = random() % 1100, old = random() % 1100;
    (void)merkle::verifyInclusion(merkle::emptyRoot(), index, size, proof.value(), merkle::emptyRoot());
    (void)merkle::verifyConsistency(old, size, proof.value(), merkle::emptyRoot(), merkle::emptyRoot());
  }
}

}  // namespace
}  // namespace hreg
