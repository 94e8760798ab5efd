#include "ledger/trust/authority.h"

#include <gtest/gtest.h>

#include "tests/support/keys.h"

#include <functional>
#include <map>

#include "ledger/crypto/sha256.h"
#include "ledger/log/own-log.h"
#include "ledger/log/signing.h"
#include "tests/support/temp-dir.h"
#include "protocol/canonical.h"

namespace hreg::trust {
namespace {

constexpr Timestamp T0 = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr Timestamp DAY = 86'400;
constexpr const char* ROOT = "hreg.example/root";

crypto::KeyPair key(const std::string& name) { return testing::labelledKey("authority-test key " + name); }

std::vector<crypto::KeyPair> keys(std::initializer_list<const char*> names) {
  std::vector<crypto::KeyPair> out;
  for (const char* n : names) out.push_back(key(n));
  return out;
}

std::string originOf(const std::string& code) { return "hreg.example/" + code; }

using Fill = log::FillBody;

Bytes decision(const std::string& origin, Timestamp time, const Fill& fill, std::vector<const crypto::KeyPair*> signers) {
  return log::signedDecision(origin, time, fill, signers);
}

capnp::Data::Reader data(const crypto::PublicKey& k) { return capnp::Data::Reader(k.data(), k.size()); }

Fill charterOf(const std::string& code, schema::Level level, const std::vector<const crypto::KeyPair*>& authority,
               std::uint8_t threshold, Timestamp from = T0) {
  return [=](schema::Body::Builder body) {
    auto c = body.initCharter();
    c.setCode(code);
    c.setLevel(level);
    c.setName("node " + code);
    c.setOrigin(originOf(code));
    c.setCheckpointKey(data(key("checkpoint " + code).publicKey()));
    auto keys = c.initAuthorityKeys(static_cast<unsigned>(authority.size()));
    for (unsigned i = 0; i < authority.size(); ++i) keys.set(i, data(authority[i]->publicKey()));
    c.setAuthorityThreshold(threshold);
    c.setValidFrom(from);
  };
}

Fill grantOf(const crypto::KeyPair& official, const std::string& department, const std::string& role,
             Timestamp from = T0, Timestamp until = 0) {
  auto pk = official.publicKey();
  return [=](schema::Body::Builder body) {
    auto g = body.initGrant();
    g.setPerson("official " + department);
    g.setDepartment(department);
    g.initRoles(1).set(0, role);
    g.setKey(data(pk));
    g.setValidFrom(from);
    g.setValidUntil(until);
  };
}

Fill revocationOf(const crypto::KeyPair& official, Timestamp effective) {
  auto pk = official.publicKey();
  return [=](schema::Body::Builder body) {
    auto r = body.initGrantRevocation();
    r.setKey(data(pk));
    r.setEffective(effective);
    r.setReason("key card lost");
  };
}

Fill findingOf(const std::string& department) {
  return [=](schema::Body::Builder body) {
    auto f = body.initJointReviewFinding();
    f.setSubject("140902-W-0001");
    f.setDepartment(department);
    f.setOutcome(schema::ReviewOutcome::PASS);
  };
}

Fill preliminaryReview() {
  return [](schema::Body::Builder body) {
    auto r = body.initPreliminaryReview();
    r.setSubject("140902-W-0001");
    r.setOutcome(schema::ReviewOutcome::PASS);
    r.setSiteInspected(true);
  };
}

// The federation of the tests: the root charters Shanxi 14 and Xinjiang 65; each chain goes down to
// a township (14 → 1409 → 140902 → 140902001; 65 → 6542 → 654201 → 654201001). Each node has three
// authority keys with threshold 2; officials are granted at the counties and a township.
struct Federation : ::testing::Test {
  std::vector<crypto::KeyPair> rootKeys = keys({"root 1", "root 2", "root 3"});
  AuthorityView view{TrustAnchor{1,
                                 {rootKeys[0].publicKey(), rootKeys[1].publicKey(), rootKeys[2].publicKey()},
                                 2,
                                 ROOT,
                                 key("checkpoint root").publicKey(),
                                 0}};
  std::map<std::string, std::vector<crypto::KeyPair>> authority;
  crypto::KeyPair culture = key("culture 140902"), hrss = key("hrss 140902"), rural = key("rural 140902");
  crypto::KeyPair townshipCulture = key("culture 140902001"), tachengCulture = key("culture 654201");

  Result<void> admit(const std::string& origin, const Bytes& bytes) {
    auto parsed = protocol::parseSignedDecision(bytes);
    if (!parsed) return outcome::failure(parsed.error());
    return view.admit(origin, parsed.value().reader());
  }
  std::vector<const crypto::KeyPair*> leaders(const std::string& code, std::size_t n = 2) {
    std::vector<const crypto::KeyPair*> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(&authority[code][i]);
    return out;
  }
  void charter(const std::string& parent, const std::string& code, schema::Level level) {
    for (int i = 0; i < 3; ++i) authority[code].push_back(key("authority " + code + " " + std::to_string(i)));
    auto charterKeys = leaders(code, 3);
    auto signers = parent.empty() ? std::vector<const crypto::KeyPair*>{&rootKeys[0], &rootKeys[1]} : leaders(parent);
    auto ok = admit(parent.empty() ? ROOT : originOf(parent), decision(parent.empty() ? ROOT : originOf(parent), T0,
                                                                       charterOf(code, level, charterKeys, 2), signers));
    ASSERT_TRUE(ok) << code << ": " << ok.error().detail;
  }
  void grant(const std::string& code, const crypto::KeyPair& official, const std::string& department,
             const std::string& role = "reviewer") {
    auto ok = admit(originOf(code), decision(originOf(code), T0, grantOf(official, department, role), leaders(code)));
    ASSERT_TRUE(ok) << ok.error().detail;
  }
  void SetUp() override {
    using L = schema::Level;
    charter("", "14", L::PROVINCE);
    charter("14", "1409", L::PREFECTURE);
    charter("1409", "140902", L::COUNTY);
    charter("140902", "140902001", L::TOWNSHIP);
    charter("", "65", L::PROVINCE);
    charter("65", "6542", L::PREFECTURE);
    charter("6542", "654201", L::COUNTY);
    charter("654201", "654201001", L::TOWNSHIP);
    grant("140902", culture, "culture");
    grant("140902", hrss, "hrss");
    grant("140902", rural, "rural", "observer");
    grant("140902001", townshipCulture, "culture");
    grant("654201", tachengCulture, "culture");
  }
  Reason refusal(const std::string& code, const Fill& fill, std::vector<const crypto::KeyPair*> signers,
                 Timestamp time = T0 + DAY) {
    auto r = admit(originOf(code), decision(originOf(code), time, fill, std::move(signers)));
    EXPECT_FALSE(r) << "accepted";
    return r ? Reason::MALFORMED_ENTRY : r.error().reason;
  }
  bool accepted(const std::string& code, const Fill& fill, std::vector<const crypto::KeyPair*> signers,
                Timestamp time = T0 + DAY) {
    auto r = admit(originOf(code), decision(originOf(code), time, fill, std::move(signers)));
    if (!r) ADD_FAILURE() << reasonName(r.error().reason) << ": " << r.error().detail;
    return r.has_value();
  }
};

TEST_F(Federation, TheChainOfChartersIsVisibleAtEveryLevel) {
  auto township = view.nodeAt(originOf("140902001"), T0 + DAY);
  ASSERT_TRUE(township);
  EXPECT_EQ(township->charteredIn, originOf("140902"));
  EXPECT_EQ(township->level, schema::Level::TOWNSHIP);
  EXPECT_FALSE(view.nodeAt(originOf("140902001"), T0 - 1)) << "before its charter";
  EXPECT_FALSE(view.nodeAt(originOf("140981"), T0 + DAY)) << "never chartered";
  auto official = view.officialAt(originOf("140902"), culture.publicKey(), T0 + DAY);
  ASSERT_TRUE(official);
  EXPECT_EQ(official.value().department, "culture");
}

TEST_F(Federation, AFindingSignedByAReviewerOfItsDepartmentIsAccepted) {
  EXPECT_TRUE(accepted("140902", findingOf("culture"), {&culture}));
  EXPECT_TRUE(accepted("140902", findingOf("hrss"), {&hrss, &culture}));
  EXPECT_TRUE(accepted("140902001", preliminaryReview(), {&townshipCulture}));
}

TEST_F(Federation, AnUnknownKeyIsRefused) {
  auto stranger = key("stranger");
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&stranger}), Reason::SIGNER_UNKNOWN);
}

TEST_F(Federation, ARevokedKeyIsRefusedAfterItsRevocationAndAcceptedBefore) {
  EXPECT_TRUE(accepted("140902", findingOf("culture"), {&culture}, T0 + 9 * DAY));
  ASSERT_TRUE(accepted("140902", revocationOf(culture, T0 + 10 * DAY), leaders("140902"), T0 + 11 * DAY));
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&culture}, T0 + 10 * DAY), Reason::SIGNER_REVOKED);
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&culture}, T0 + 30 * DAY), Reason::SIGNER_REVOKED);
  auto asked = view.officialAt(originOf("140902"), culture.publicKey(), T0 + 9 * DAY);
  EXPECT_TRUE(asked) << "it was an official before the revocation took effect";
  EXPECT_EQ(view.officialAt(originOf("140902"), culture.publicKey(), T0 + 10 * DAY).error().reason,
            Reason::SIGNER_REVOKED);
}

// Back-dating: once a revocation is logged, the revoked key signs nothing more, even a decision
// dated before the revocation took effect.
TEST_F(Federation, ARevokedKeyCannotSignABackDatedDecision) {
  ASSERT_TRUE(accepted("140902", revocationOf(culture, T0 + 10 * DAY), leaders("140902"), T0 + 11 * DAY));
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&culture}, T0 + 2 * DAY), Reason::SIGNER_REVOKED);
}

TEST_F(Federation, AnOfficialOfTheWrongDepartmentOrRoleIsRefused) {
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&hrss}), Reason::WRONG_DEPARTMENT);
  EXPECT_EQ(refusal("140902", findingOf("rural"), {&rural}), Reason::WRONG_ROLE);
}

TEST_F(Federation, ATownshipOfficialCannotSignACountyDecision) {
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&townshipCulture}), Reason::SIGNER_UNKNOWN);
}

TEST_F(Federation, AnOfficialOfAnotherCountyIsRefused) {
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&tachengCulture}), Reason::SIGNER_UNKNOWN);
}

TEST_F(Federation, ADecisionOfAKindItsLevelDoesNotMakeIsRefused) {
  EXPECT_EQ(refusal("140902", preliminaryReview(), {&culture}), Reason::WRONG_LEVEL);
}

TEST_F(Federation, AGrantNeedsTheAuthorityThreshold) {
  auto newOfficial = key("new official");
  EXPECT_EQ(refusal("140902", grantOf(newOfficial, "finance", "reviewer"), leaders("140902", 1)),
            Reason::BELOW_THRESHOLD);
  EXPECT_EQ(refusal("140902", grantOf(newOfficial, "finance", "reviewer"), {&culture, &hrss}), Reason::SIGNER_UNKNOWN);
  EXPECT_TRUE(accepted("140902", grantOf(newOfficial, "finance", "reviewer"), leaders("140902", 2)));
}

// A log's name carries its division (jurisdiction reads it there): a charter may not name a
// county's log after another division.
TEST_F(Federation, AChartersLogIsNamedAfterItsOwnCode) {
  auto countyKeys = leaders("140902", 3);
  auto misnamed = [&](std::string origin) {
    Fill base = charterOf("140981", schema::Level::COUNTY, countyKeys, 2);
    return [=](schema::Body::Builder body) {
      base(body);
      body.getCharter().setOrigin(origin);
    };
  };
  EXPECT_EQ(refusal("1409", misnamed(originOf("654201")), leaders("1409")), Reason::WRONG_ORIGIN);
  EXPECT_EQ(refusal("1409", misnamed("hreg.example/x140981"), leaders("1409")), Reason::WRONG_ORIGIN);
  EXPECT_EQ(refusal("1409", misnamed("140981"), leaders("1409")), Reason::WRONG_ORIGIN);
  EXPECT_TRUE(accepted("1409", misnamed(originOf("140981")), leaders("1409")));
}

TEST_F(Federation, OnlyTheParentChartersAChild) {
  auto countyKeys = leaders("140902", 3);
  // Xinzhou cannot charter a county of another prefecture, nor a township (not a direct child).
  EXPECT_EQ(refusal("1409", charterOf("654202", schema::Level::COUNTY, countyKeys, 2), leaders("1409")),
            Reason::NOT_A_CHILD);
  EXPECT_EQ(refusal("1409", charterOf("140902002", schema::Level::TOWNSHIP, countyKeys, 2), leaders("1409")),
            Reason::NOT_A_CHILD);
  // A county's charter in its own parent's log, signed by another node's authority: refused.
  EXPECT_EQ(refusal("1409", charterOf("140981", schema::Level::COUNTY, countyKeys, 2), leaders("6542")),
            Reason::SIGNER_UNKNOWN);
  EXPECT_EQ(refusal("1409", charterOf("140981", schema::Level::TOWNSHIP, countyKeys, 2), leaders("1409")),
            Reason::WRONG_LEVEL);
  EXPECT_TRUE(accepted("1409", charterOf("140981", schema::Level::COUNTY, countyKeys, 2), leaders("1409")));
}

TEST_F(Federation, ARootRotationNeedsTheOldThreshold) {
  auto newKeys = keys({"root v2 a", "root v2 b"});
  Fill rotation = [&](schema::Body::Builder body) {
    auto r = body.initTrustRoot();
    r.setVersion(2);
    auto list = r.initKeys(2);
    list.set(0, data(newKeys[0].publicKey()));
    list.set(1, data(newKeys[1].publicKey()));
    r.setThreshold(2);
    r.setOrigin(ROOT);
    r.setCheckpointKey(data(key("checkpoint root").publicKey()));
    r.setValidFrom(T0 + 5 * DAY);
  };
  auto submit = [&](std::vector<const crypto::KeyPair*> signers) {
    return admit(ROOT, decision(ROOT, T0 + 5 * DAY, rotation, std::move(signers)));
  };
  EXPECT_EQ(submit({&rootKeys[0]}).error().reason, Reason::BELOW_THRESHOLD);
  EXPECT_EQ(submit({&newKeys[0], &newKeys[1]}).error().reason, Reason::SIGNER_UNKNOWN);
  ASSERT_TRUE(submit({&rootKeys[0], &rootKeys[2]}));
  EXPECT_EQ(view.rootAt(T0 + 6 * DAY).version, 2u);
  EXPECT_EQ(submit({&newKeys[0], &newKeys[1]}).error().reason, Reason::ROOT_VERSION) << "version 2 exists already";
  // After the rotation the old keys no longer charter provinces; the new ones do.
  auto authorityKeys = leaders("140902", 3);
  auto provinceCharter = [&](std::vector<const crypto::KeyPair*> signers) {
    return admit(ROOT, decision(ROOT, T0 + 6 * DAY, charterOf("15", schema::Level::PROVINCE, authorityKeys, 2, T0 + 6 * DAY),
                                std::move(signers)));
  };
  EXPECT_EQ(provinceCharter({&rootKeys[0], &rootKeys[1]}).error().reason, Reason::SIGNER_UNKNOWN);
  EXPECT_TRUE(provinceCharter({&newKeys[0], &newKeys[1]}));
}

TEST_F(Federation, TheDaemonsCheckpointKeyNeverSignsADecision) {
  auto daemon = key("checkpoint 140902");
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&culture, &daemon}), Reason::CHECKPOINT_KEY_SIGNED);
  auto otherDaemon = key("checkpoint 1409");
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&otherDaemon}), Reason::CHECKPOINT_KEY_SIGNED);
}

TEST_F(Federation, AnExpiredGrantIsRefusedAndAGrantNotYetValidToo) {
  auto temporary = key("temporary");
  ASSERT_TRUE(accepted("140902", grantOf(temporary, "culture", "reviewer", T0, T0 + 20 * DAY), leaders("140902")));
  EXPECT_TRUE(accepted("140902", findingOf("culture"), {&temporary}, T0 + 19 * DAY));
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&temporary}, T0 + 20 * DAY), Reason::SIGNER_EXPIRED);
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&temporary}, T0 - DAY), Reason::NOT_CHARTERED);
}

TEST_F(Federation, ARevokedCharterEndsItsNodeAndItsOfficials) {
  Fill revoke = [](schema::Body::Builder body) {
    auto r = body.initCharterRevocation();
    r.setCode("140902");
    r.setEffective(T0 + 3 * DAY);
    r.setReason("checkpoint key stolen");
  };
  EXPECT_EQ(refusal("654201", revoke, leaders("654201")), Reason::NOT_A_CHILD);
  ASSERT_TRUE(accepted("1409", revoke, leaders("1409"), T0 + 3 * DAY));
  EXPECT_TRUE(accepted("140902", findingOf("culture"), {&culture}, T0 + 2 * DAY));
  EXPECT_EQ(refusal("140902", findingOf("culture"), {&culture}, T0 + 4 * DAY), Reason::NOT_CHARTERED);
  EXPECT_FALSE(view.nodeAt(originOf("140902001"), T0 + 4 * DAY)) << "its township's chain is broken too";
}

// The append path asks the view: a grant admitted earlier in a submission entitles its official later
// in it; a decision the view refuses takes no index.
TEST_F(Federation, AnOwnLogAppendsOnlyWhatTheAuthorityViewAdmits) {
  testing::TempDir dir;
  store::Store store({dir.path()});
  FakeClock clock(T0 + DAY);
  log::OwnLog county(store, note::SignerKey::fromSeed(originOf("140902"), note::KeyType::ED25519, crypto::Seed{7}),
                     clock, 1, &view);
  auto finance = key("finance 140902");
  auto stranger = key("stranger");
  std::vector<Bytes> decisions{decision(originOf("140902"), T0 + DAY, grantOf(finance, "finance", "reviewer"),
                                        leaders("140902")),
                               decision(originOf("140902"), T0 + DAY, findingOf("finance"), {&finance}),
                               decision(originOf("140902"), T0 + DAY, findingOf("culture"), {&stranger}),
                               decision(originOf("140902"), T0 + DAY, findingOf("culture"), {&culture})};
  std::vector<ByteView> views(decisions.begin(), decisions.end());
  auto out = county.append(views);
  ASSERT_TRUE(out.results[0]) << out.results[0].error().detail;
  ASSERT_TRUE(out.results[1]) << out.results[1].error().detail;
  EXPECT_EQ(out.results[2].error().reason, Reason::SIGNER_UNKNOWN);
  ASSERT_TRUE(out.results[3]);
  EXPECT_EQ(out.results[3].value().index, 2u);
  EXPECT_EQ(out.checkpoint.size, 3u);
}

}  // namespace
}  // namespace hreg::trust
