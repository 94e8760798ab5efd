#include "ledger/crypto/ed25519.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

namespace hreg::crypto {
namespace {

template <std::size_t N>
std::array<std::uint8_t, N> fixedFromHex(std::string_view hex) {
  auto bytes = fromHex(hex);
  std::array<std::uint8_t, N> out{};
  if (!bytes || bytes->size() != N) ADD_FAILURE() << "bad test constant " << hex;
  else std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72).
const Seed SEED_1 = fixedFromHex<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const PublicKey PUBLIC_1 = fixedFromHex<32>("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const Signature SIGNATURE_1 = fixedFromHex<64>(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
    "24655141438e7a100b");
const Seed SEED_2 = fixedFromHex<32>("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
const PublicKey PUBLIC_2 = fixedFromHex<32>("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
const Signature SIGNATURE_2 = fixedFromHex<64>(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
    "eeb00d291612bb0c00");
const std::uint8_t MESSAGE_2[] = {0x72};

TEST(Ed25519, DerivesTheRfc8032PublicKeyFromTheSeed) {
  EXPECT_EQ(KeyPair::fromSeed(SEED_1).publicKey(), PUBLIC_1);
  EXPECT_EQ(KeyPair::fromSeed(SEED_2).publicKey(), PUBLIC_2);
  EXPECT_EQ(KeyPair::fromSeed(SEED_1).seed(), SEED_1);
}

TEST(Ed25519, SignsTheRfc8032VectorsExactly) {
  EXPECT_EQ(KeyPair::fromSeed(SEED_1).sign(ByteView{}), SIGNATURE_1);
  EXPECT_EQ(KeyPair::fromSeed(SEED_2).sign(MESSAGE_2), SIGNATURE_2);
}

TEST(Ed25519, VerifiesTheRfc8032Vectors) {
  EXPECT_TRUE(verify(PUBLIC_1, ByteView{}, SIGNATURE_1));
  EXPECT_TRUE(verify(PUBLIC_2, MESSAGE_2, SIGNATURE_2));
  EXPECT_TRUE(verify(ByteView(PUBLIC_1), ByteView{}, ByteView(SIGNATURE_1)));
}

TEST(Ed25519, RefusesEveryFlippedBitOfTheSignature) {
  for (std::size_t bit = 0; bit < SIGNATURE_1.size() * 8; ++bit) {
    Signature changed = SIGNATURE_1;
    changed[bit / 8] = static_cast<std::uint8_t>(changed[bit / 8] ^ (1u << (bit % 8)));
    EXPECT_FALSE(verify(PUBLIC_1, ByteView{}, changed)) << bit;
  }
}

TEST(Ed25519, RefusesEveryFlippedBitOfTheMessageAndTheKey) {
  for (unsigned bit = 0; bit < 8; ++bit) {
    const std::uint8_t changed[] = {static_cast<std::uint8_t>(MESSAGE_2[0] ^ (1u << bit))};
    EXPECT_FALSE(verify(PUBLIC_2, changed, SIGNATURE_2)) << bit;
  }
  for (std::size_t bit = 0; bit < PUBLIC_2.size() * 8; ++bit) {
    PublicKey changed = PUBLIC_2;
    changed[bit / 8] = static_cast<std::uint8_t>(changed[bit / 8] ^ (1u << (bit % 8)));
    EXPECT_FALSE(verify(changed, MESSAGE_2, SIGNATURE_2)) << bit;
  }
  EXPECT_FALSE(verify(PUBLIC_1, MESSAGE_2, SIGNATURE_1));  // a signature of "" is not one of "r"
}

TEST(Ed25519, RefusesKeysAndSignaturesOfTheWrongLength) {
  EXPECT_FALSE(verify(ByteView(PUBLIC_1).first(31), ByteView{}, ByteView(SIGNATURE_1)));
  EXPECT_FALSE(verify(ByteView(PUBLIC_1), ByteView{}, ByteView(SIGNATURE_1).first(63)));
  Bytes longer(SIGNATURE_1.begin(), SIGNATURE_1.end());
  longer.push_back(0);
  EXPECT_FALSE(verify(ByteView(PUBLIC_1), ByteView{}, ByteView(longer)));
}

TEST(Ed25519, GeneratedKeysDifferAndSignWhatTheyVerify) {
  KeyPair a = KeyPair::generate();
  KeyPair b = KeyPair::generate();
  EXPECT_NE(a.publicKey(), b.publicKey());
  Signature sig = a.sign(asBytes("hreg"));
  EXPECT_TRUE(verify(a.publicKey(), asBytes("hreg"), sig));
  EXPECT_FALSE(verify(b.publicKey(), asBytes("hreg"), sig));
  EXPECT_EQ(KeyPair::fromSeed(a.seed()).publicKey(), a.publicKey());
}

TEST(Ed25519, AMovedKeyPairKeepsSigning) {
  KeyPair original = KeyPair::fromSeed(SEED_1);
  KeyPair moved = std::move(original);
  EXPECT_EQ(moved.sign(ByteView{}), SIGNATURE_1);
  KeyPair assigned = KeyPair::fromSeed(SEED_2);
  assigned = std::move(moved);
  EXPECT_EQ(assigned.publicKey(), PUBLIC_1);
  EXPECT_EQ(assigned.sign(ByteView{}), SIGNATURE_1);
}

TEST(RandomBytes, FillsTheBuffer) {
  std::array<std::uint8_t, 64> a{}, b{};
  randomBytes(a);
  randomBytes(b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace hreg::crypto
