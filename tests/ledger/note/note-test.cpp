#include "ledger/note/note.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/note/checkpoint.h"
#include "ledger/note/cosignature.h"
#include "protocol/limits.h"
#include "tests/ledger/note/vectors.h"

namespace hreg::note {
namespace {

using testing::key;
using testing::vectorText;

constexpr std::string_view EM_DASH = "\xe2\x80\x94";

VerifierKey verifier(const std::string& text) {
  auto parsed = parseVerifierKey(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value();
}

struct VerifiableNote {
  std::string file;
  std::vector<std::string> vkeys;  // every signature on the note is by one of these
};

// verifiable is every published note whose signers' verifier keys are published too.
std::vector<VerifiableNote> verifiable() {
  return {
      {"c2sp-signed-note-example.txt", {key("c2sp-foo", "vkey")}},
      {"c2sp-go-note-peterneumann.txt", {key("go-peterneumann", "vkey")}},
      {"c2sp-go-note-peterneumann-enochroot.txt", {key("go-peterneumann", "vkey"), key("go-enochroot", "vkey")}},
      {"c2sp-sumdb-checkpoint-35225469.txt", {key("sumdb", "vkey")}},
      {"c2sp-sigsum-test-checkpoint-1.txt", {key("sigsum-testlog", "vkey")}},
      {"c2sp-sigsum-test-checkpoint-3.txt", {key("sigsum-testlog", "vkey")}},
      {"c2sp-sigsum-test-checkpoint-5.txt", {key("sigsum-testlog", "vkey")}},
  };
}

// Notes by keys that were never published: they can be parsed, not verified.
const std::vector<std::string> PARSE_ONLY = {
    "c2sp-signed-note-intro-quasimodo.txt",
    "c2sp-checkpoint-example.txt",
    "c2sp-cosignature-example.txt",
    "c2sp-derived-cosignature-D1.txt",
    "c2sp-derived-cosignature-D2.txt",
};

std::vector<VerifierKey> verifiers(const std::vector<std::string>& texts) {
  std::vector<VerifierKey> out;
  for (const std::string& text : texts) out.push_back(verifier(text));
  return out;
}

Result<std::vector<VerifierKey>> openNote(std::string_view message, std::span<const VerifierKey> trusted) {
  HREG_TRY(note, parseNote(message));
  return verifyNote(note, trusted);
}

void expectRefused(std::string_view message, Reason reason) {
  auto parsed = parseNote(message);
  ASSERT_TRUE(parsed.has_error()) << message;
  EXPECT_EQ(parsed.error().reason, reason) << message;
}

std::string signatureLine(std::string_view name, const Bytes& payload) {
  return std::string(EM_DASH) + " " + std::string(name) + " " + toBase64(payload) + "\n";
}

SignerKey peterNeumann() { return SignerKey::parse(key("go-peterneumann", "skey")).value(); }

// A checkpoint signed by a log's Ed25519 key and cosigned by a witness's cosignature/v1 key.
struct CosignedCheckpoint {
  SignerKey log = SignerKey::fromSeed("hreg.example/140902", KeyType::ED25519, crypto::Seed{1, 2, 3});
  SignerKey witness = SignerKey::fromSeed("hreg.example/14", KeyType::COSIGNATURE_V1, crypto::Seed{4, 5, 6});
  std::string text;

  CosignedCheckpoint() {
    Checkpoint checkpoint{"hreg.example/140902", 42, crypto::sha256(asBytes("root")), {}};
    Note note{checkpoint.body(), {}};
    signNote(note, log);
    note.signatures.push_back(cosign(witness, note.text, 1'700'000'000));
    text = formatNote(note);
  }
  std::vector<VerifierKey> trusted() const { return {log.verifier(), witness.verifier()}; }
};

TEST(VerifyNote, VerifiesEveryPublishedNoteWithItsPublishedKeys) {
  for (const auto& vector : verifiable()) {
    auto trusted = verifiers(vector.vkeys);
    auto verified = openNote(vectorText(vector.file), trusted);
    ASSERT_TRUE(verified.has_value()) << vector.file << ": " << verified.error().detail;
    ASSERT_EQ(verified.value().size(), trusted.size()) << vector.file;
    for (std::size_t i = 0; i < trusted.size(); ++i) EXPECT_EQ(verified.value()[i].toString(), vector.vkeys[i]);
  }
}

TEST(ParseNote, ReadsTheSpecExample) {
  auto note = parseNote(vectorText("c2sp-signed-note-example.txt"));
  ASSERT_TRUE(note.has_value());
  EXPECT_EQ(note.value().text, "This is an example message.\n");
  ASSERT_EQ(note.value().signatures.size(), 1u);
  EXPECT_EQ(note.value().signatures[0].name, "example.com/foo");
  EXPECT_EQ(note.value().signatures[0].hash, 0x530d903au);
  EXPECT_EQ(note.value().signatures[0].signature.size(), 64u);
}

TEST(FormatNote, ReproducesEveryPublishedNoteByteForByte) {
  std::vector<std::string> files = PARSE_ONLY;
  for (const auto& vector : verifiable()) files.push_back(vector.file);
  for (const std::string& file : files) {
    std::string text = vectorText(file);
    auto note = parseNote(text);
    ASSERT_TRUE(note.has_value()) << file << ": " << note.error().detail;
    EXPECT_EQ(formatNote(note.value()), text) << file;
  }
}

TEST(ParseNote, ReadsTheWitnessResponseCosignaturesUnderTheirCheckpoint) {
  std::string body = parseNote(vectorText("c2sp-checkpoint-example.txt")).value().text;
  std::string message = body + "\n" + vectorText("c2sp-tlog-witness-add-checkpoint-response.txt");
  auto note = parseNote(message);
  ASSERT_TRUE(note.has_value()) << note.error().detail;
  ASSERT_EQ(note.value().signatures.size(), 3u);
  for (const auto& sig : note.value().signatures) EXPECT_EQ(sig.signature.size(), 72u) << sig.name;
  EXPECT_EQ(formatNote(note.value()), message);
}

TEST(SignNote, ReproducesTheGoExampleSignature) {
  std::string published = vectorText("c2sp-go-note-peterneumann.txt");
  Note note{parseNote(published).value().text, {}};
  signNote(note, peterNeumann());
  EXPECT_EQ(formatNote(note), published);
}

TEST(SignNote, ThrowsForACosignatureKeyOrInvalidText) {
  Note note{"text\n", {}};
  SignerKey witness = SignerKey::generate("w", KeyType::COSIGNATURE_V1);
  EXPECT_THROW(signNote(note, witness), Fault);
  Note unterminated{"text", {}};
  EXPECT_THROW(signNote(unterminated, peterNeumann()), Fault);
}

TEST(ParseNote, RefusesANoteWithoutABlankLineBeforeTheSignatures) {
  std::string good = vectorText("c2sp-go-note-peterneumann.txt");
  ASSERT_TRUE(parseNote(good).has_value());
  std::string noBlank = good;
  noBlank.erase(noBlank.find("\n\n"), 1);
  expectRefused(noBlank, Reason::MALFORMED_NOTE);
  expectRefused("just text\n", Reason::MALFORMED_NOTE);
  expectRefused("", Reason::MALFORMED_NOTE);
}

TEST(ParseNote, RefusesANoteWithoutItsFinalNewline) {
  std::string good = vectorText("c2sp-go-note-peterneumann.txt");
  expectRefused(good.substr(0, good.size() - 1), Reason::MALFORMED_NOTE);
  expectRefused("text\n\n", Reason::MALFORMED_NOTE);  // no signature line at all
}

TEST(ParseNote, RefusesControlCharacters) {
  std::string good = vectorText("c2sp-signed-note-example.txt");
  for (char control : {'\t', '\r', '\0', '\x1b', '\x7f'}) {
    std::string bad = good;
    bad.insert(4, 1, control);
    expectRefused(bad, Reason::MALFORMED_NOTE);
  }
}

TEST(ParseNote, RefusesInvalidUtf8) {
  std::string good = vectorText("c2sp-signed-note-example.txt");
  for (std::string_view bytes : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x80"}) {
    std::string bad = good;
    bad.insert(4, bytes);
    expectRefused(bad, Reason::MALFORMED_NOTE);
  }
}

TEST(ParseNote, RefusesASignatureLineWithoutTheEmDash) {
  std::string good = vectorText("c2sp-signed-note-example.txt");
  auto dash = good.find(EM_DASH);
  ASSERT_NE(dash, std::string::npos);
  for (std::string_view replacement : {"-", "--", "\xe2\x80\x93" /* EN DASH */, "", " "}) {
    std::string bad = good;
    bad.replace(dash, EM_DASH.size(), replacement);
    expectRefused(bad, Reason::MALFORMED_NOTE);
  }
  std::string noSpace = good;
  noSpace.erase(dash + EM_DASH.size(), 1);
  expectRefused(noSpace, Reason::MALFORMED_NOTE);
}

TEST(ParseNote, RefusesASignatureThatIsNotCanonicalBase64) {
  std::string good = vectorText("c2sp-signed-note-example.txt");
  ASSERT_TRUE(good.ends_with("aQM=\n"));
  std::string base = good.substr(0, good.size() - 5);
  for (std::string_view tail : {"aQN=\n", "aQM\n", "aQM==\n", "aQ!=\n", "aQM= \n"}) {
    expectRefused(base + std::string(tail), Reason::MALFORMED_NOTE);
  }
  std::string noSignature = good.substr(0, good.rfind(' ') + 1) + "\n";
  expectRefused(noSignature, Reason::MALFORMED_NOTE);
}

TEST(ParseNote, AcceptsFiveSignatureBytesAndRefusesFour) {
  EXPECT_TRUE(parseNote("text\n\n" + signatureLine("k", Bytes{1, 2, 3, 4, 5})).has_value());
  expectRefused("text\n\n" + signatureLine("k", Bytes{1, 2, 3, 4}), Reason::MALFORMED_NOTE);
  expectRefused("text\n\n" + signatureLine("k", Bytes{}), Reason::MALFORMED_NOTE);
}

TEST(ParseNote, RefusesAnInvalidKeyName) {
  Bytes payload(68, 9);
  EXPECT_TRUE(parseNote("text\n\n" + signatureLine("example.com/foo", payload)).has_value());
  for (std::string_view name : {"example.com+foo", "", "a\xc2\xa0" "b"}) {
    expectRefused("text\n\n" + signatureLine(name, payload), Reason::MALFORMED_NOTE);
  }
}

TEST(ParseNote, RefusesALineAfterTheSignaturesThatIsNotOne) {
  std::string good = vectorText("c2sp-signed-note-example.txt");
  expectRefused(good + "trailing words\n", Reason::MALFORMED_NOTE);
}

TEST(ParseNote, AcceptsTheMaximumNumberOfSignaturesAndRefusesOneMore) {
  std::string most = "text\n\n";
  for (std::size_t i = 0; i < limits::MAX_NOTE_SIGNATURES; ++i)
    most += signatureLine("key" + std::to_string(i), Bytes(68, static_cast<std::uint8_t>(i)));
  auto note = parseNote(most);
  ASSERT_TRUE(note.has_value());
  EXPECT_EQ(note.value().signatures.size(), limits::MAX_NOTE_SIGNATURES);
  expectRefused(most + signatureLine("one-more", Bytes(68, 0)), Reason::LIMIT_EXCEEDED);
}

TEST(ParseNote, RefusesANoteOverTheSizeLimit) {
  std::string body(limits::MAX_NOTE_BYTES, 'a');
  body.back() = '\n';
  expectRefused(body + "\n" + signatureLine("k", Bytes(68, 0)), Reason::LIMIT_EXCEEDED);
}

TEST(VerifyNote, RefusesABadSignatureByATrustedKey) {
  auto note = parseNote(vectorText("c2sp-go-note-peterneumann.txt")).value();
  auto trusted = verifiers({key("go-peterneumann", "vkey")});
  ASSERT_TRUE(verifyNote(note, trusted).has_value());
  for (std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{63}}) {
    Note forged = note;
    forged.signatures[0].signature[i] ^= 0x01;
    auto verified = verifyNote(forged, trusted);
    ASSERT_TRUE(verified.has_error());
    EXPECT_EQ(verified.error().reason, Reason::BAD_SIGNATURE);
  }
  Note shortened = note;
  shortened.signatures[0].signature.pop_back();
  auto verified = verifyNote(shortened, trusted);
  ASSERT_TRUE(verified.has_error());
  EXPECT_EQ(verified.error().reason, Reason::BAD_SIGNATURE);
  Note altered = note;
  altered.text[0] = 'i';
  auto alteredText = verifyNote(altered, trusted);
  ASSERT_TRUE(alteredText.has_error());
  EXPECT_EQ(alteredText.error().reason, Reason::BAD_SIGNATURE);
}

TEST(VerifyNote, IgnoresSignaturesByKeysItDoesNotTrust) {
  auto note = parseNote(vectorText("c2sp-go-note-peterneumann-enochroot.txt")).value();
  note.signatures.push_back({"unknown.example", 0x01020304u, Bytes(64, 7)});
  auto verified = verifyNote(note, verifiers({key("go-peterneumann", "vkey")}));
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  ASSERT_EQ(verified.value().size(), 1u);
  EXPECT_EQ(verified.value()[0].name, "PeterNeumann");
}

TEST(VerifyNote, ReportsEachTrustedKeyOnceAndIgnoresKeysWithAnotherHash) {
  auto note = parseNote(vectorText("c2sp-go-note-peterneumann.txt")).value();
  note.signatures.push_back(note.signatures[0]);
  auto peter = verifier(key("go-peterneumann", "vkey"));
  auto verified = verifyNote(note, std::vector<VerifierKey>{peter});
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified.value().size(), 1u);
  // The same name with another key has another key hash: its "signature" is someone else's.
  VerifierKey impostor = peter;
  impostor.key[0] ^= 1;
  impostor.hash = keyHash(impostor.name, impostor.type, impostor.key);
  auto notTrusted = verifyNote(note, std::vector<VerifierKey>{impostor});
  ASSERT_TRUE(notTrusted.has_error());
  EXPECT_EQ(notTrusted.error().reason, Reason::NO_TRUSTED_SIGNATURE);
}

TEST(VerifyNote, RefusesANoteWithoutATrustedSignature) {
  auto note = parseNote(vectorText("c2sp-signed-note-example.txt")).value();
  auto verified = verifyNote(note, verifiers({key("go-peterneumann", "vkey")}));
  ASSERT_TRUE(verified.has_error());
  EXPECT_EQ(verified.error().reason, Reason::NO_TRUSTED_SIGNATURE);
  auto nobody = verifyNote(note, {});
  ASSERT_TRUE(nobody.has_error());
  EXPECT_EQ(nobody.error().reason, Reason::NO_TRUSTED_SIGNATURE);
}

TEST(VerifyNote, RefusesInvalidText) {
  Note note{"no final newline", {{"PeterNeumann", 0xc74f20a3u, Bytes(64, 0)}}};
  auto verified = verifyNote(note, verifiers({key("go-peterneumann", "vkey")}));
  ASSERT_TRUE(verified.has_error());
  EXPECT_EQ(verified.error().reason, Reason::MALFORMED_NOTE);
}

TEST(VerifyNote, VerifiesACheckpointSignedByItsLogAndCosignedByAWitness) {
  CosignedCheckpoint cosigned;
  auto trusted = cosigned.trusted();
  auto verified = openNote(cosigned.text, trusted);
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  ASSERT_EQ(verified.value().size(), 2u);
  EXPECT_EQ(verified.value()[0].type, KeyType::ED25519);
  EXPECT_EQ(verified.value()[1].type, KeyType::COSIGNATURE_V1);
  // Each key alone verifies its own signature.
  EXPECT_TRUE(openNote(cosigned.text, std::vector<VerifierKey>{trusted[0]}).has_value());
  EXPECT_TRUE(openNote(cosigned.text, std::vector<VerifierKey>{trusted[1]}).has_value());
}

// verifiedCount is how many trusted keys verify `message`: 0 when it is refused.
std::size_t verifiedCount(std::string_view message, std::span<const VerifierKey> trusted) {
  auto verified = openNote(message, trusted);
  return verified.has_value() ? verified.value().size() : 0;
}

TEST(VerifyNote, FailsForEveryOneByteChangeOfASignedNote) {
  struct Signed {
    std::string name;
    std::string text;
    std::vector<VerifierKey> trusted;
  };
  std::vector<Signed> notes;
  for (const auto& vector : verifiable())
    notes.push_back({vector.file, vectorText(vector.file), verifiers(vector.vkeys)});
  CosignedCheckpoint cosigned;
  notes.push_back({"cosigned checkpoint", cosigned.text, cosigned.trusted()});
  for (const Signed& note : notes) {
    ASSERT_EQ(verifiedCount(note.text, note.trusted), note.trusted.size()) << note.name;
    for (std::size_t i = 0; i < note.text.size(); ++i) {
      for (unsigned mask : {0x01u, 0x20u, 0x80u}) {
        std::string changed = note.text;
        changed[i] = static_cast<char>(static_cast<unsigned char>(changed[i]) ^ mask);
        // A change must cost at least one of the trusted signatures (all of them, for one signer).
        EXPECT_LT(verifiedCount(changed, note.trusted), note.trusted.size())
            << note.name << ": byte " << i << " ^ " << mask;
      }
    }
  }
}

}  // namespace
}  // namespace hreg::note
