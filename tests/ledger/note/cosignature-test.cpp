#include "ledger/note/cosignature.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/note/checkpoint.h"
#include "ledger/note/text.h"
#include "tests/ledger/note/vectors.h"

namespace hreg::note {
namespace {

using testing::derivedField;
using testing::vectorText;

struct Derived {
  const char* label;
  const char* checkpointFile;  // the note the cosignature is added to
};

constexpr Derived DERIVED[] = {
    {"D1", "c2sp-checkpoint-example.txt"},
    {"D2", "c2sp-sumdb-checkpoint-35225469.txt"},
};

Timestamp timestampOf(const char* label) { return std::stoll(derivedField(label, "timestamp")); }

SignerKey cosigner(const char* label) {
  return SignerKey::fromSeed(derivedField(label, "name"), KeyType::COSIGNATURE_V1,
                             testing::fixedFromHex<32>(derivedField(label, "seed")));
}

VerifierKey cosignerVerifier(const char* label) { return parseVerifierKey(derivedField(label, "vkey")).value(); }

TEST(CosignedMessage, IsTheSpecExample) {
  std::string body = parseNote(vectorText("c2sp-checkpoint-example.txt")).value().text;
  EXPECT_EQ(cosignedMessage(body, 1679315147), vectorText("c2sp-cosignature-signed-message-example.txt"));
}

TEST(CosignedMessage, IsTheDerivedVectorsSignedMessage) {
  for (const Derived& d : DERIVED) {
    std::string body = parseNote(vectorText(d.checkpointFile)).value().text;
    std::string message = cosignedMessage(body, static_cast<std::uint64_t>(timestampOf(d.label)));
    EXPECT_EQ(toHex(asBytes(message)), derivedField(d.label, "signed_message_hex")) << d.label;
  }
}

TEST(Cosign, ReproducesTheDerivedVectorsByteForByte) {
  for (const Derived& d : DERIVED) {
    SignerKey signer = cosigner(d.label);
    EXPECT_EQ(signer.verifier().toString(), derivedField(d.label, "vkey"));
    Note note = parseNote(vectorText(d.checkpointFile)).value();
    NoteSignature sig = cosign(signer, note.text, timestampOf(d.label));
    EXPECT_EQ(sig.name, derivedField(d.label, "name"));
    EXPECT_EQ(sig.hash, std::stoul(derivedField(d.label, "keyid"), nullptr, 16));
    Bytes payload(4);
    writeKeyHash(sig.hash, payload.data());
    payload.insert(payload.end(), sig.signature.begin(), sig.signature.end());
    EXPECT_EQ(toHex(payload), derivedField(d.label, "sigline_payload_hex")) << d.label;
    EXPECT_EQ(toHex(ByteView(sig.signature).subspan(8)), derivedField(d.label, "ed25519_sig_hex"));
    note.signatures.push_back(sig);
    std::string formatted = formatNote(note);
    EXPECT_EQ(formatted, vectorText(derivedField(d.label, "note_file"))) << d.label;
    EXPECT_TRUE(formatted.ends_with(derivedField(d.label, "sigline") + "\n")) << d.label;
  }
}

TEST(Cosign, ParsedSignerKeyCosignsLikeTheSeed) {
  for (const Derived& d : DERIVED) {
    auto signer = SignerKey::parse(derivedField(d.label, "skey"));
    ASSERT_TRUE(signer.has_value());
    std::string body = parseNote(vectorText(d.checkpointFile)).value().text;
    EXPECT_EQ(cosign(signer.value(), body, timestampOf(d.label)).signature,
              cosign(cosigner(d.label), body, timestampOf(d.label)).signature);
  }
}

TEST(VerifyCosignature, ReturnsTheTimestampOfEachDerivedVector) {
  for (const Derived& d : DERIVED) {
    Note note = parseNote(vectorText(derivedField(d.label, "note_file"))).value();
    ASSERT_EQ(note.signatures.size(), 2u);
    auto time = verifyCosignature(cosignerVerifier(d.label), note.text, note.signatures[1]);
    ASSERT_TRUE(time.has_value()) << d.label << ": " << time.error().detail;
    EXPECT_EQ(time.value(), timestampOf(d.label));
  }
}

TEST(VerifyNote, VerifiesTheDerivedCosignedNotesWithTheWitnessKeyAlone) {
  for (const Derived& d : DERIVED) {
    Note note = parseNote(vectorText(derivedField(d.label, "note_file"))).value();
    auto verified = verifyNote(note, std::vector<VerifierKey>{cosignerVerifier(d.label)});
    ASSERT_TRUE(verified.has_value()) << d.label;
    ASSERT_EQ(verified.value().size(), 1u);
    EXPECT_EQ(verified.value()[0].name, derivedField(d.label, "name"));
  }
}

TEST(VerifyCosignature, RefusesATamperedBody) {
  Note note = parseNote(vectorText("c2sp-derived-cosignature-D1.txt")).value();
  const NoteSignature& sig = note.signatures[1];
  VerifierKey key = cosignerVerifier("D1");
  ASSERT_TRUE(verifyCosignature(key, note.text, sig).has_value());
  for (std::size_t i = 0; i < note.text.size(); ++i) {
    std::string body = note.text;
    body[i] = static_cast<char>(body[i] ^ 0x01);
    auto refused = verifyCosignature(key, body, sig);
    ASSERT_TRUE(refused.has_error()) << i;
    EXPECT_EQ(refused.error().reason, Reason::BAD_SIGNATURE) << i;
  }
}

TEST(VerifyCosignature, RefusesAChangedTimestampOrSignature) {
  Note note = parseNote(vectorText("c2sp-derived-cosignature-D1.txt")).value();
  VerifierKey key = cosignerVerifier("D1");
  for (std::size_t i = 0; i < 72; ++i) {
    NoteSignature sig = note.signatures[1];
    sig.signature[i] ^= 0x01;
    auto refused = verifyCosignature(key, note.text, sig);
    ASSERT_TRUE(refused.has_error()) << i;
    EXPECT_EQ(refused.error().reason, Reason::BAD_SIGNATURE) << i;
  }
}

TEST(VerifyCosignature, RefusesAPayloadThatIsNotTimeAndSignature) {
  Note note = parseNote(vectorText("c2sp-derived-cosignature-D1.txt")).value();
  VerifierKey key = cosignerVerifier("D1");
  for (std::size_t length : {0u, 64u, 71u, 73u, 80u}) {
    NoteSignature sig = note.signatures[1];
    sig.signature.resize(length, 0);
    auto refused = verifyCosignature(key, note.text, sig);
    ASSERT_TRUE(refused.has_error()) << length;
    EXPECT_EQ(refused.error().reason, Reason::MALFORMED_COSIGNATURE) << length;
  }
}

TEST(VerifyCosignature, RefusesATimeBeyond63Bits) {
  Note note = parseNote(vectorText("c2sp-derived-cosignature-D1.txt")).value();
  NoteSignature sig = note.signatures[1];
  sig.signature[0] = 0x80;
  auto refused = verifyCosignature(cosignerVerifier("D1"), note.text, sig);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().reason, Reason::MALFORMED_COSIGNATURE);
}

TEST(VerifyCosignature, RefusesAnEd25519NoteKey) {
  Note note = parseNote(vectorText("c2sp-derived-cosignature-D1.txt")).value();
  VerifierKey key = cosignerVerifier("D1");
  key.type = KeyType::ED25519;
  auto refused = verifyCosignature(key, note.text, note.signatures[1]);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().reason, Reason::MALFORMED_COSIGNATURE);
}

TEST(Cosign, ThrowsForAnEd25519KeyOrATimeBefore1970) {
  SignerKey noteKey = SignerKey::generate("log", KeyType::ED25519);
  EXPECT_THROW((void)cosign(noteKey, "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", 0), Fault);
  EXPECT_THROW((void)cosign(cosigner("D1"), "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", -1), Fault);
}

}  // namespace
}  // namespace hreg::note
