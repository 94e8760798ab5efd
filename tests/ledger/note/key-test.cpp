#include "ledger/note/key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/ledger/note/vectors.h"

namespace hreg::note {
namespace {

using testing::fixedFromHex;
using testing::key;

struct PublishedVerifier {
  std::string label;
  std::string field;
  KeyType type;
};

// Every verifier key in c2sp-keys.txt that a verifier must accept.
const std::vector<PublishedVerifier> PUBLISHED = {
    {"c2sp-foo", "vkey", KeyType::ED25519},
    {"go-peterneumann", "vkey", KeyType::ED25519},
    {"go-enochroot", "vkey", KeyType::ED25519},
    {"formats-test-ed25519", "vkey", KeyType::ED25519},
    {"formats-test-ed25519", "cosigv1_vkey_DERIVED", KeyType::COSIGNATURE_V1},
    {"formats-remora-cosigv1", "vkey", KeyType::COSIGNATURE_V1},
    {"sumdb", "vkey", KeyType::ED25519},
    {"sigsum-testlog", "vkey", KeyType::ED25519},
    {"litetlog-witness", "cosigv1_vkey_DERIVED", KeyType::COSIGNATURE_V1},
};

TEST(KeyHash, IsTheFirstFourBytesOfTheHashOfNameTypeAndKey) {
  auto foo = fixedFromHex<32>(key("c2sp-foo", "pubkey_hex"));
  EXPECT_EQ(keyHash("example.com/foo", KeyType::ED25519, foo), 0x530d903au);
  EXPECT_NE(keyHash("example.com/foo", KeyType::COSIGNATURE_V1, foo), 0x530d903au);
  EXPECT_NE(keyHash("example.com/fop", KeyType::ED25519, foo), 0x530d903au);
}

TEST(ParseVerifierKey, ReadsEveryPublishedVerifierKey) {
  for (const auto& published : PUBLISHED) {
    std::string text = key(published.label, published.field);
    auto parsed = parseVerifierKey(text);
    ASSERT_TRUE(parsed.has_value()) << text << ": " << parsed.error().detail;
    EXPECT_EQ(parsed.value().type, published.type) << text;
    EXPECT_EQ(parsed.value().toString(), text);
    EXPECT_EQ(parsed.value().name, text.substr(0, text.find('+')));
    if (testing::keys().count({published.label, "pubkey_hex"}) != 0) {
      EXPECT_EQ(parsed.value().key, fixedFromHex<32>(key(published.label, "pubkey_hex"))) << text;
    }
    if (published.field == "vkey" && testing::keys().count({published.label, "keyid"}) != 0) {
      EXPECT_EQ(parsed.value().hash, std::stoul(key(published.label, "keyid"), nullptr, 16)) << text;
    }
  }
}

TEST(ParseVerifierKey, RefusesTheGoNegativeKeys) {
  for (const char* label : {"go-bad-keylen", "go-bad-alg"}) {
    auto parsed = parseVerifierKey(key(label, "vkey"));
    ASSERT_TRUE(parsed.has_error()) << label;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_KEY) << label;
  }
}

TEST(ParseVerifierKey, RefusesAKeyWhoseHashWasTamperedWith) {
  for (const auto& published : PUBLISHED) {
    std::string text = key(published.label, published.field);
    auto plus = text.find('+');
    for (std::size_t i = plus + 1; i < plus + 9; ++i) {
      std::string tampered = text;
      tampered[i] = tampered[i] == '0' ? '1' : '0';
      auto parsed = parseVerifierKey(tampered);
      ASSERT_TRUE(parsed.has_error()) << tampered;
      EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_KEY) << tampered;
    }
  }
}

TEST(ParseVerifierKey, RefusesAKeyWhoseNameOrKeyWasTamperedWith) {
  std::string text = key("go-peterneumann", "vkey");  // PeterNeumann+c74f20a3+ARpc2Qc...
  for (std::string tampered : {"PeterNeumanm" + text.substr(12), text.substr(0, 25) + "X" + text.substr(26)}) {
    auto parsed = parseVerifierKey(tampered);
    ASSERT_TRUE(parsed.has_error()) << tampered;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_KEY) << tampered;
  }
}

TEST(ParseVerifierKey, RefusesMalformedStrings) {
  const std::string good = key("c2sp-foo", "vkey");  // example.com/foo+530d903a+AekyeRrm...
  ASSERT_TRUE(parseVerifierKey(good).has_value());
  const std::string malformed[] = {
      "",
      "example.com/foo",
      "example.com/foo+530d903a",
      good + "+extra",
      "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",            // empty name
      "example.com foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",  // space in name
      "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",  // uppercase hash
      "example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",   // short hash
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",   // bad base64
      "example.com/foo+530d903a+",                                              // no key
      "example.com/foo+530d903a+Aekye",                                         // bad base64
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3Q==",  // a key too short
      "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",  // type 0x02
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
  };
  for (const std::string& text : malformed) {
    auto parsed = parseVerifierKey(text);
    ASSERT_TRUE(parsed.has_error()) << text;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_KEY) << text;
  }
}

TEST(MakeVerifierKey, NamesAKeyAndRefusesAnInvalidName) {
  auto foo = fixedFromHex<32>(key("c2sp-foo", "pubkey_hex"));
  auto made = makeVerifierKey("example.com/foo", KeyType::ED25519, foo);
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(made.value().toString(), key("c2sp-foo", "vkey"));
  for (const char* name : {"", "a+b", "a b", "a\xe3\x80\x80" "b", "\xff"}) {
    auto refused = makeVerifierKey(name, KeyType::ED25519, foo);
    ASSERT_TRUE(refused.has_error()) << name;
    EXPECT_EQ(refused.error().reason, Reason::MALFORMED_KEY) << name;
  }
}

TEST(SignerKey, ParsesTheGoSignerKeyAndDerivesItsPublishedVerifier) {
  const std::string skey = key("go-peterneumann", "skey");
  auto signer = SignerKey::parse(skey);
  ASSERT_TRUE(signer.has_value()) << signer.error().detail;
  EXPECT_EQ(signer.value().name(), "PeterNeumann");
  EXPECT_EQ(signer.value().type(), KeyType::ED25519);
  EXPECT_EQ(signer.value().keyPair().seed(), fixedFromHex<32>(key("go-peterneumann", "seed_hex")));
  EXPECT_EQ(signer.value().verifier().toString(), key("go-peterneumann", "vkey"));
  EXPECT_EQ(signer.value().verifier().key, fixedFromHex<32>(key("go-peterneumann", "pubkey_hex")));
  EXPECT_EQ(signer.value().toString(), skey);
}

TEST(SignerKey, ParsesCosignatureSignerKeys) {
  for (const char* label : {"D1", "D2"}) {
    auto signer = SignerKey::parse(testing::derivedField(label, "skey"));
    ASSERT_TRUE(signer.has_value()) << label;
    EXPECT_EQ(signer.value().type(), KeyType::COSIGNATURE_V1);
    EXPECT_EQ(signer.value().verifier().toString(), testing::derivedField(label, "vkey"));
    EXPECT_EQ(signer.value().toString(), testing::derivedField(label, "skey"));
  }
}

TEST(SignerKey, RefusesAlteredOrMalformedSignerKeys) {
  const std::string skey = key("go-peterneumann", "skey");  // PRIVATE+KEY+PeterNeumann+c74f20a3+AYEK...
  const std::string malformed[] = {
      skey.substr(12),                                   // no PRIVATE+KEY+ prefix
      "PRIVATE+KEY+PeterNeumann+c74f20a4" + skey.substr(33),  // altered hash
      "PRIVATE+KEY+PeterNeumanm" + skey.substr(24),            // altered name
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF",  // bad base64
      "PRIVATE+KEY+PeterNeumann+c74f20a3",
  };
  for (const std::string& text : malformed) {
    auto parsed = SignerKey::parse(text);
    ASSERT_TRUE(parsed.has_error()) << text;
    EXPECT_EQ(parsed.error().reason, Reason::MALFORMED_KEY) << text;
  }
}

TEST(SignerKey, GeneratedKeysRoundTripThroughTheirStrings) {
  for (KeyType type : {KeyType::ED25519, KeyType::COSIGNATURE_V1}) {
    SignerKey signer = SignerKey::generate("hreg.example/140902", type);
    auto again = SignerKey::parse(signer.toString());
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again.value().verifier().key, signer.verifier().key);
    auto verifier = parseVerifierKey(signer.verifier().toString());
    ASSERT_TRUE(verifier.has_value());
    EXPECT_EQ(verifier.value().type, type);
    EXPECT_EQ(verifier.value().hash, signer.verifier().hash);
  }
}

TEST(SignerKey, FromSeedIsDeterministic) {
  auto seed = fixedFromHex<32>(key("go-peterneumann", "seed_hex"));
  SignerKey signer = SignerKey::fromSeed("PeterNeumann", KeyType::ED25519, seed);
  EXPECT_EQ(signer.toString(), key("go-peterneumann", "skey"));
}

}  // namespace
}  // namespace hreg::note
