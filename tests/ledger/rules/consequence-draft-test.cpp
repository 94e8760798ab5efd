// Drafts of the records time alone makes due (ledger/rules/consequence-draft.h): what status() derives
// is drafted as the record the responsible office signs, and once recorded, the log says what the
// status derived: the same stage, from the same time, and nothing more to sign.
#include "ledger/rules/consequence-draft.h"

#include <gtest/gtest.h>

#include <vector>

#include "ledger/crypto/sha256.h"
#include "protocol/canonical.h"
#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;

constexpr const char* COUNTY = "hreg.example/522633";
constexpr const char* PREFECTURE = "hreg.example/5226";
constexpr const char* SUBJECT = "522633-W-0002";

LifecyclePolicy nationalPolicy() {
  LifecyclePolicy p;
  p.departments = {"culture", "hrss", "rural"};
  return p;
}

Records& selected(Records& r) {
  r.application(at("2026-03-02"));
  for (const char* d : {"culture", "hrss", "rural"}) r.finding(at("2026-03-09"), d, ReviewOutcome::PASS);
  return r.jointResult(at("2026-03-10"), ReviewOutcome::PASS).notice(at("2026-03-11", 9)).certification(at("2026-03-19"));
}

// held gives each decision a place: index i of its own log, and a leaf hash only it has.
std::vector<HeldDecision> held(std::span<const schema::Decision::Reader> decisions) {
  std::vector<HeldDecision> out;
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const std::string tag = "leaf " + std::to_string(i);
    out.push_back({decisions[i], decisions[i].getHeader().getOrigin().cStr(), i,
                   crypto::sha256(ByteView(reinterpret_cast<const std::uint8_t*>(tag.data()), tag.size()))});
  }
  return out;
}

// Drafted is a draft read back as its officials would: the canonical SignedDecision, unsigned.
struct Drafted {
  ConsequenceDraft draft;
  protocol::Parsed<schema::SignedDecision> parsed;
  schema::Decision::Reader decision() const { return parsed.reader().getDecision(); }
};

Drafted drafted(const Records& r, const Derived& derived, Timestamp now) {
  auto draft = draftConsequence(SUBJECT, derived, held(r.all()), now);
  EXPECT_TRUE(draft) << draft.error().detail;
  auto parsed = protocol::parseSignedDecision(draft.value().signedDecision);
  EXPECT_TRUE(parsed) << parsed.error().detail;
  return {std::move(draft).value(), std::move(parsed).value()};
}

// withRecorded is the decisions and the drafted record after them, as the log will hold them.
std::vector<schema::Decision::Reader> withRecorded(const Records& r, const Drafted& d) {
  std::vector<schema::Decision::Reader> all(r.all().begin(), r.all().end());
  all.push_back(d.decision());
  return all;
}

void expectRef(schema::EntryRef::Reader ref, const char* origin, std::uint64_t index) {
  EXPECT_EQ(std::string(ref.getOrigin().cStr()), origin);
  EXPECT_EQ(ref.getIndex(), index);
  EXPECT_EQ(ref.getLeafHash().size(), 32u);
}

// Certified 2026, confirmed for 2026 and 2027: 2028 and 2029 unconfirmed cancel it on 2030-01-01.
TEST(ConsequenceDraft, TwoUnconfirmedYearsAreDraftedAsTheCancellationTheCountySigns) {
  Records r(COUNTY, SUBJECT);
  selected(r).confirmation(at("2026-12-10"), 2026).confirmation(at("2027-12-09"), 2027);
  const Timestamp now = at("2030-03-02");
  auto before = status(r.all(), nationalPolicy(), published(), now);
  ASSERT_TRUE(before) << before.error().detail;
  ASSERT_EQ(before.value().derived.size(), 1u);
  const Derived derived = before.value().derived[0];
  ASSERT_EQ(derived.what, "cancellation");

  Drafted d = drafted(r, derived, now);
  EXPECT_EQ(d.draft.origin, COUNTY) << "the county that certified it cancels it";
  EXPECT_EQ(d.draft.kind, schema::Body::CANCELLATION);
  EXPECT_EQ(d.parsed.reader().getSignatures().size(), 0u) << "a draft, for the officials to sign";
  EXPECT_EQ(std::string(d.decision().getHeader().getOrigin().cStr()), COUNTY);
  EXPECT_EQ(d.decision().getHeader().getTime(), now) << "dated when it is drafted";
  ASSERT_TRUE(d.decision().getBody().isCancellation());
  auto cancellation = d.decision().getBody().getCancellation();
  EXPECT_EQ(std::string(cancellation.getSubject().cStr()), SUBJECT);
  expectRef(cancellation.getCertification(), COUNTY, 6);  // application, 3 findings, result, notice, certification
  expectRef(cancellation.getLastConfirmation(), COUNTY, 8);
  ASSERT_EQ(cancellation.getMissedYears().size(), 2u);
  EXPECT_EQ(cancellation.getMissedYears()[0], 2028);
  EXPECT_EQ(cancellation.getMissedYears()[1], 2029);

  auto after = status(withRecorded(r, d), nationalPolicy(), published(), now);
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after.value().recorded, Stage::CANCELLED);
  EXPECT_EQ(after.value().recorded, after.value().stage);
  EXPECT_EQ(after.value().since, before.value().since) << "it took effect on 2030-01-01, not when it was recorded";
  EXPECT_TRUE(after.value().derived.empty()) << "nothing more to sign";
}

TEST(ConsequenceDraft, ACancellationWithNoConfirmationNamesNoneAndTheYearsAfterTheCertification) {
  Records r(COUNTY, "522633-W-0001");
  r.legacyImport(at("2026-02-02"), Level::COUNTY, "从江县文旅〔2026〕3号");
  auto s = status(r.all(), nationalPolicy(), published(), at("2029-01-05"));
  ASSERT_TRUE(s) << s.error().detail;
  ASSERT_EQ(s.value().derived.size(), 1u);
  auto draft = draftConsequence("522633-W-0001", s.value().derived[0], held(r.all()), at("2029-01-05"));
  ASSERT_TRUE(draft) << draft.error().detail;
  auto parsed = protocol::parseSignedDecision(draft.value().signedDecision);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  auto cancellation = parsed.value().reader().getDecision().getBody().getCancellation();
  expectRef(cancellation.getCertification(), COUNTY, 0);
  EXPECT_EQ(std::string(cancellation.getLastConfirmation().getOrigin().cStr()), "") << "no confirmation was made";
  ASSERT_EQ(cancellation.getMissedYears().size(), 2u);
  EXPECT_EQ(cancellation.getMissedYears()[0], 2027);
  EXPECT_EQ(cancellation.getMissedYears()[1], 2028);
}

// A proposal served Monday 2026-06-01 leaves the appeal window open to the end of Monday 2026-06-08,
// the fifth working day after it.
TEST(ConsequenceDraft, ARevocationMadeFinalIsDraftedWithItsProposalAndGroundAndNoAppeal) {
  Records r(COUNTY, SUBJECT);
  selected(r).proposal(at("2026-06-01"), 3);
  const Timestamp now = at("2026-07-01");
  auto before = status(r.all(), nationalPolicy(), published(), now);
  ASSERT_TRUE(before) << before.error().detail;
  ASSERT_EQ(before.value().derived.size(), 1u);
  ASSERT_EQ(before.value().derived[0].what, "revocation-final");

  Drafted d = drafted(r, before.value().derived[0], now);
  EXPECT_EQ(d.draft.origin, COUNTY);
  EXPECT_EQ(d.draft.kind, schema::Body::REVOCATION);
  auto revocation = d.decision().getBody().getRevocation();
  expectRef(revocation.getProposal(), COUNTY, 7);
  EXPECT_EQ(revocation.getGround(), 3) << "the proposal's ground";
  EXPECT_EQ(std::string(revocation.getAppealDecision().getOrigin().cStr()), "") << "no appeal came in time";
  EXPECT_FALSE(revocation.getPlaqueRecovered()) << "only the officials know";

  auto after = status(withRecorded(r, d), nationalPolicy(), published(), now);
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after.value().recorded, Stage::REVOKED);
  EXPECT_EQ(after.value().recorded, after.value().stage);
  EXPECT_EQ(after.value().since, at("2026-06-09", 0)) << "final when the window closed";
  EXPECT_TRUE(after.value().derived.empty());

  // The reapplication ban runs from the window's close, recorded or not.
  const Timestamp later = at("2029-07-01");
  auto derivedBan = status(r.all(), nationalPolicy(), published(), later);
  auto recordedBan = status(withRecorded(r, d), nationalPolicy(), published(), later);
  ASSERT_TRUE(derivedBan && recordedBan);
  ASSERT_EQ(recordedBan.value().derived.size(), 1u);
  EXPECT_EQ(recordedBan.value().derived[0].what, "reapplication-ban-over");
  EXPECT_EQ(recordedBan.value().derived[0].at, derivedBan.value().derived.back().at);
  EXPECT_EQ(recordedBan.value().derived[0].at, at("2029-06-09", 0));
}

// 001: a workshop certified at the prefecture is the prefecture's to cancel; its county drafts nothing.
TEST(ConsequenceDraft, TheOfficeThatCertifiedRecordsTheCancellation) {
  Records r(COUNTY, SUBJECT);
  r.application(at("2026-03-02")).recommendation(at("2026-03-09"), Level::PREFECTURE).in(PREFECTURE);
  r.add(at("2026-03-20"), [](schema::Body::Builder b) {  // the panel's procedure is seed-001's; here its end
    auto c = b.initCertification();
    c.setSubject(SUBJECT);
    c.setLevel(Level::PREFECTURE);
  });
  const Derived derived{"cancellation", at("2029-01-01", 0), schema::Body::CANCELLATION, Stage::CANCELLED};
  auto draft = draftConsequence(SUBJECT, derived, held(r.all()), at("2029-01-05"));
  ASSERT_TRUE(draft) << draft.error().detail;
  EXPECT_EQ(draft.value().origin, PREFECTURE);
}

TEST(ConsequenceDraft, RefusesWhatItCannotDraft) {
  Records r(COUNTY, SUBJECT);
  r.application(at("2026-03-02"));
  const Derived revocation{"revocation-final", at("2026-06-06", 0), schema::Body::REVOCATION, Stage::REVOKED};
  expectRefused(draftConsequence(SUBJECT, revocation, held(r.all()), at("2026-07-01")), Reason::PREREQUISITE_MISSING,
                "no revocation proposal of 522633-W-0002 is held here to make final");
  const Derived cancellation{"cancellation", at("2029-01-01", 0), schema::Body::CANCELLATION, Stage::CANCELLED};
  expectRefused(draftConsequence(SUBJECT, cancellation, held(r.all()), at("2029-01-05")), Reason::PREREQUISITE_MISSING,
                "no certification of 522633-W-0002 is held here to cancel");
  const Derived banOver{"reapplication-ban-over", at("2029-06-06", 0), std::nullopt, Stage::REVOKED};
  expectRefused(draftConsequence(SUBJECT, banOver, held(r.all()), at("2029-07-01")), Reason::MALFORMED_ENTRY,
                "reapplication-ban-over of 522633-W-0002 asks for no record: there is nothing to draft");
  // Time alone makes only a revocation final or a cancellation due; any other record is drafted by hand.
  const Derived other{"confirmation", at("2029-01-01", 0), schema::Body::CONFIRMATION, Stage::CERTIFIED};
  expectRefused(draftConsequence(SUBJECT, other, held(r.all()), at("2029-01-05")), Reason::MALFORMED_ENTRY,
                "hreg cannot draft a confirmation for 522633-W-0002: draft it with `hreg draft`");
}

}  // namespace
}  // namespace hreg::rules
