// Each EntryRef the lifecycle follows names the record it should (ledger/rules/lifecycle.h, status()
// given where each decision stands): an objection its notice, a resolution an objection not yet
// resolved, a certification its notice, a confirmation, an evaluation, a proposal and a cancellation the
// certification, a cancellation's lastConfirmation the latest confirmation (or nothing), a ground-9
// proposal the failed rectification result (or the order whose deadline passed), an appeal and a
// revocation the proposal, an appeal decision the appeal, a notice's basis the passed review, a
// recommendation's basis this level's review or certification, a rectification order's cause the failed
// evaluation, a recusal, a score and a conclusion the panel draw, and a conclusion's scores every score
// recorded for that draw.
// Each refusal is PREREQUISITE_MISSING with a detail naming what the reference should name.
#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>

#include "tests/ledger/rules/records.h"

namespace hreg::rules {
namespace {

using namespace records;

const LifecyclePolicy POLICY{};
constexpr const char* TOWNSHIP = "hreg.example/140902001";
constexpr const char* COUNTY = "hreg.example/140902";
constexpr const char* SUBJECT = "140902001-W-0012";

// positionsOf places decision i at index i of the log its header names, with a leaf hash made of i.
std::vector<DecisionAt> positionsOf(const Records& r) {
  std::vector<DecisionAt> out;
  for (std::size_t i = 0; i < r.all().size(); ++i) {
    DecisionAt at{r.all()[i].getHeader().getOrigin().cStr(), i, {}};
    at.leafHash.fill(static_cast<std::uint8_t>(i + 1));
    out.push_back(at);
  }
  return out;
}

// refTo makes `ref` name decision i of `r` as positionsOf places it (i == -1: no entry).
void refTo(schema::EntryRef::Builder ref, const Records& r, int i) {
  if (i < 0) return;
  const std::size_t n = static_cast<std::size_t>(i);
  const std::string origin = n < r.all().size() ? r.all()[n].getHeader().getOrigin().cStr() : COUNTY;
  ref.setOrigin(origin);
  ref.setIndex(n);
  std::array<std::uint8_t, 32> hash{};
  hash.fill(static_cast<std::uint8_t>(n + 1));
  ref.setLeafHash(capnp::Data::Reader(hash.data(), hash.size()));
}

Result<Status> judged(const Records& r, Timestamp asOf) {
  const std::vector<DecisionAt> positions = positionsOf(r);
  return status(r.all(), positions, PolicyAt{[](Timestamp) { return POLICY; }}, published(), asOf);
}

int last(const Records& r) { return static_cast<int>(r.all().size()) - 1; }

// notice publishes the subject's notice at the county's level resting on `basis`.
Records& notice(Records& r, Timestamp t, std::vector<int> basis) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto n = b.initNotice();
    n.initSubjects(1).set(0, r.subject());
    n.setLevel(Level::COUNTY);
    n.setPublishedAt(t);
    auto list = n.initBasis(static_cast<unsigned>(basis.size()));
    for (unsigned k = 0; k < basis.size(); ++k) refTo(list[k], r, basis[k]);
  });
}
// recommendation recommends the subject for `level`, resting on `basis`.
Records& recommendation(Records& r, Timestamp t, Level level, std::vector<int> basis) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto c = b.initRecommendation();
    c.setSubject(r.subject());
    c.setLevel(level);
    auto list = c.initBasis(static_cast<unsigned>(basis.size()));
    for (unsigned k = 0; k < basis.size(); ++k) refTo(list[k], r, basis[k]);
  });
}

// onNotice: the county's joint review passed and its notice of 2026-04-29 published (decision 9).
Records& onNotice(Records& r) {
  r.application(at("2026-04-20")).preliminary(at("2026-04-24"), ReviewOutcome::PASS).in(COUNTY);
  for (const char* d : {"culture", "rural", "hrss", "finance", "market", "land"})
    r.finding(at("2026-04-27"), d, ReviewOutcome::PASS);
  r.jointResult(at("2026-04-28"), ReviewOutcome::PASS);
  return notice(r, at("2026-04-29", 9), {8});
}

Records& objection(Records& r, Timestamp t, int notice) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto o = b.initObjection();
    o.setSubject(SUBJECT);
    o.setReceivedAt(t);
    refTo(o.initNotice(), r, notice);
  });
}
Records& resolution(Records& r, Timestamp t, int objection, bool upheld = false) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto o = b.initObjectionResolution();
    o.setSubject(SUBJECT);
    o.setUpheld(upheld);
    refTo(o.initObjection(), r, objection);
  });
}
Records& certification(Records& r, Timestamp t, int notice) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto c = b.initCertification();
    c.setSubject(SUBJECT);
    c.setLevel(Level::COUNTY);
    refTo(c.initNotice(), r, notice);
  });
}
// CERTIFIED_AT is the certification of certifiedWithObjections, the one a proposal names.
constexpr int CERTIFIED_AT = 14;
Records& proposal(Records& r, Timestamp t, int ground, std::vector<int> basis, int certification = CERTIFIED_AT) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto p = b.initRevocationProposal();
    p.setSubject(SUBJECT);
    p.setGround(static_cast<std::uint8_t>(ground));
    p.setServedAt(t);
    refTo(p.initCertification(), r, certification);
    auto list = p.initBasis(static_cast<unsigned>(basis.size()));
    for (unsigned k = 0; k < basis.size(); ++k) refTo(list[k], r, basis[k]);
  });
}
Records& confirmation(Records& r, Timestamp t, int year, int certification = CERTIFIED_AT) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto c = b.initConfirmation();
    c.setSubject(SUBJECT);
    c.setYear(static_cast<std::uint16_t>(year));
    refTo(c.initCertification(), r, certification);
  });
}
Records& evaluation(Records& r, Timestamp t, ReviewOutcome outcome, const char* grade, int certification = CERTIFIED_AT) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto e = b.initEvaluation();
    e.setSubject(SUBJECT);
    e.setOutcome(outcome);
    e.setGrade(grade);
    refTo(e.initCertification(), r, certification);
  });
}
// rectificationOrder orders a rectification by 2028-08-31 for the evaluation `cause`.
Records& rectificationOrder(Records& r, Timestamp t, int cause) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto o = b.initRectificationOrder();
    o.setSubject(SUBJECT);
    o.setDeadline(at("2028-08-31", 24));
    refTo(o.initCause(), r, cause);
  });
}
Records& appeal(Records& r, Timestamp t, int proposal) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto a = b.initAppeal();
    a.setSubject(SUBJECT);
    a.setReceivedAt(t);
    refTo(a.initProposal(), r, proposal);
  });
}
Records& appealDecision(Records& r, Timestamp t, int appeal) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto d = b.initAppealDecision();
    d.setSubject(SUBJECT);
    d.setUpheld(false);
    refTo(d.initAppeal(), r, appeal);
  });
}
Records& revocation(Records& r, Timestamp t, int proposal, int appealDecision) {
  return r.add(t, [&](schema::Body::Builder b) {
    auto v = b.initRevocation();
    v.setSubject(SUBJECT);
    v.setGround(9);
    v.setPlaqueRecovered(true);
    refTo(v.initProposal(), r, proposal);
    refTo(v.initAppealDecision(), r, appealDecision);
  });
}

// certifiedWithObjection: two objections to the notice (10, 11), each resolved naming it, certified.
Records& certifiedWithObjections(Records& r) {
  onNotice(r);
  objection(r, at("2026-04-30"), 9);
  objection(r, at("2026-05-06"), 9);
  resolution(r, at("2026-05-07"), 11);  // the second first
  resolution(r, at("2026-05-08"), 10);
  return certification(r, at("2026-05-11", 9), 9);
}

// failedRectification: a poor evaluation, an order (index 16) and its failed result (17).
Records& failedRectification(Records& r) {
  certifiedWithObjections(r);
  evaluation(r, at("2028-05-10"), ReviewOutcome::REJECT, "poor");
  rectificationOrder(r, at("2028-05-20"), 15);
  return r.rectificationResult(at("2028-09-05"), ReviewOutcome::REJECT);
}

TEST(EntryRef, EveryReferenceNamingItsRecordPasses) {
  Records r(TOWNSHIP, SUBJECT);
  failedRectification(r);
  proposal(r, at("2028-09-08"), 9, {17});
  appeal(r, at("2028-09-12"), 18);
  appealDecision(r, at("2028-09-19"), 19);
  revocation(r, at("2028-09-21"), 18, 20);
  auto s = judged(r, at("2028-09-22"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::REVOKED);
  // The resolutions settled the objections they named, the second first.
  ASSERT_GE(s.value().deadlines.size(), 3u);
  EXPECT_EQ(s.value().deadlines[1].what, "objection-verification");
  EXPECT_TRUE(s.value().deadlines[1].met);
  EXPECT_TRUE(s.value().deadlines[2].met);
}

TEST(EntryRef, WithoutPositionsNoReferenceIsChecked) {
  Records r(TOWNSHIP, SUBJECT);
  onNotice(r);
  resolution(objection(r, at("2026-04-30"), -1), at("2026-05-06"), -1);
  certification(r, at("2026-05-11", 9), -1);
  EXPECT_TRUE(status(r.all(), POLICY, published(), at("2026-05-12")));
}

TEST(EntryRef, RefusesAnObjectionNamingAnotherRecordThanTheNotice) {
  Records r(TOWNSHIP, SUBJECT);
  objection(onNotice(r), at("2026-04-30"), 8);
  expectRefused(judged(r, at("2026-05-01")), Reason::PREREQUISITE_MISSING, "it must name the latest notice");
}

TEST(EntryRef, RefusesAResolutionNamingNoOpenObjection) {
  Records none(TOWNSHIP, SUBJECT);
  objection(onNotice(none), at("2026-04-30"), 9);
  resolution(none, at("2026-05-06"), -1);
  expectRefused(judged(none, at("2026-05-07")), Reason::PREREQUISITE_MISSING, "its objection names no entry");

  Records notice(TOWNSHIP, SUBJECT);  // the notice, not the objection
  objection(onNotice(notice), at("2026-04-30"), 9);
  resolution(notice, at("2026-05-06"), 9);
  expectRefused(judged(notice, at("2026-05-07")), Reason::PREREQUISITE_MISSING,
                "must name an objection to the subject not yet resolved ([hreg.example/140902 #10])");

  Records twice(TOWNSHIP, SUBJECT);  // an objection already resolved
  objection(onNotice(twice), at("2026-04-30"), 9);
  objection(twice, at("2026-05-06"), 9);
  resolution(twice, at("2026-05-07"), 10);
  resolution(twice, at("2026-05-08"), 10);
  expectRefused(judged(twice, at("2026-05-09")), Reason::PREREQUISITE_MISSING, "[hreg.example/140902 #11]");
}

TEST(EntryRef, RefusesAReferenceWithAnotherLeafHash) {
  Records r(TOWNSHIP, SUBJECT);
  onNotice(r);
  r.add(at("2026-04-30"), [&](schema::Body::Builder b) {
    auto o = b.initObjection();
    o.setSubject(SUBJECT);
    o.setReceivedAt(at("2026-04-30"));
    auto ref = o.initNotice();
    ref.setOrigin(COUNTY);
    ref.setIndex(9);
    ref.initLeafHash(32);  // zeros: not the notice's leaf
  });
  expectRefused(judged(r, at("2026-05-01")), Reason::PREREQUISITE_MISSING, "names hreg.example/140902 #9 with another leaf hash than the entry there: it must name");
}

TEST(EntryRef, RefusesACertificationNamingAnotherRecordThanItsNotice) {
  Records r(TOWNSHIP, SUBJECT);
  certification(onNotice(r), at("2026-05-11", 9), 8);
  expectRefused(judged(r, at("2026-05-12")), Reason::PREREQUISITE_MISSING,
                "its notice names hreg.example/140902 #8: it must name the notice it followed, the latest "
                "(hreg.example/140902 #9)");
}

// A notice rests on the passed joint review result (or panel conclusion) of the subject.
TEST(EntryRef, RefusesANoticeWhoseBasisDoesNotNameThePassedReview) {
  auto reviewed = [](Records& r) -> Records& {
    r.application(at("2026-04-20")).preliminary(at("2026-04-24"), ReviewOutcome::PASS).in(COUNTY);
    for (const char* d : {"culture", "rural", "hrss", "finance", "market", "land"})
      r.finding(at("2026-04-27"), d, ReviewOutcome::PASS);
    return r.jointResult(at("2026-04-28"), ReviewOutcome::PASS);  // #8
  };
  Records finding(TOWNSHIP, SUBJECT);
  notice(reviewed(finding), at("2026-04-29", 9), {7});  // a department's finding
  expectRefused(judged(finding, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "decision 9 (notice): its basis does not name the passed jointReviewResult it rests on "
                "(hreg.example/140902 #8): add it");

  Records empty(TOWNSHIP, SUBJECT);
  notice(reviewed(empty), at("2026-04-29", 9), {});
  expectRefused(judged(empty, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "its basis does not name the passed jointReviewResult");

  Records ok(TOWNSHIP, SUBJECT);
  notice(reviewed(ok), at("2026-04-29", 9), {7, 8});
  auto s = judged(ok, at("2026-04-30"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::ON_NOTICE);
}

// A recommendation rests on this level's review: the certification in force here when recommending a
// certified workshop upward, else the preliminary review passed (none: an application at the county).
TEST(EntryRef, RefusesARecommendationWhoseBasisDoesNotNameThisLevelsReviewOrCertification) {
  Records unreviewed(TOWNSHIP, SUBJECT);
  unreviewed.application(at("2026-04-07"), Level::PREFECTURE).preliminary(at("2026-04-10"), ReviewOutcome::PASS).in(COUNTY);
  recommendation(unreviewed, at("2026-04-14"), Level::PREFECTURE, {0});  // the application
  expectRefused(judged(unreviewed, at("2026-04-15")), Reason::PREREQUISITE_MISSING,
                "decision 2 (recommendation): its basis does not name this level's passed preliminary review "
                "(hreg.example/140902001 #1): add it");

  Records reviewed(TOWNSHIP, SUBJECT);
  reviewed.application(at("2026-04-07"), Level::PREFECTURE).preliminary(at("2026-04-10"), ReviewOutcome::PASS).in(COUNTY);
  recommendation(reviewed, at("2026-04-14"), Level::PREFECTURE, {0, 1});
  EXPECT_TRUE(judged(reviewed, at("2026-04-15")));

  Records atTheCounty(TOWNSHIP, SUBJECT);  // received at the county: no preliminary review to name
  atTheCounty.in(COUNTY).application(at("2026-04-07"), Level::PREFECTURE);
  recommendation(atTheCounty, at("2026-04-14"), Level::PREFECTURE, {});
  EXPECT_TRUE(judged(atTheCounty, at("2026-04-15")));

  Records upward(TOWNSHIP, SUBJECT);
  recommendation(certifiedWithObjections(upward), at("2026-06-01"), Level::PREFECTURE, {9});  // the notice
  expectRefused(judged(upward, at("2026-06-02")), Reason::PREREQUISITE_MISSING,
                "decision 15 (recommendation): its basis does not name this level's certification or legacy import, "
                "the latest (hreg.example/140902 #14): add it");

  Records certified(TOWNSHIP, SUBJECT);
  recommendation(certifiedWithObjections(certified), at("2026-06-01"), Level::PREFECTURE, {8, CERTIFIED_AT});
  auto s = judged(certified, at("2026-06-02"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
}

TEST(EntryRef, RefusesAGroundNineProposalWithoutTheFailedResultInItsBasis) {
  Records r(TOWNSHIP, SUBJECT);
  proposal(failedRectification(r), at("2028-09-08"), 9, {16});  // the order, though a result failed
  expectRefused(judged(r, at("2028-09-09")), Reason::PREREQUISITE_MISSING,
                "ground 9, but its basis does not name the failed rectification result (hreg.example/140902 #17)");

  Records ok(TOWNSHIP, SUBJECT);  // another ground needs no basis
  proposal(failedRectification(ok), at("2028-09-08"), 3, {});
  EXPECT_TRUE(judged(ok, at("2028-09-09")));
}

TEST(EntryRef, RefusesAProposalNamingAnotherRecordThanTheCertificationInForce) {
  Records r(TOWNSHIP, SUBJECT);
  proposal(failedRectification(r), at("2028-09-08"), 9, {17}, 9);  // the notice
  expectRefused(judged(r, at("2028-09-09")), Reason::PREREQUISITE_MISSING,
                "its certification names hreg.example/140902 #9: it must name the certification or legacy import it "
                "would revoke, the latest (hreg.example/140902 #14)");

  Records none(TOWNSHIP, SUBJECT);
  proposal(failedRectification(none), at("2028-09-08"), 3, {}, -1);
  expectRefused(judged(none, at("2028-09-09")), Reason::PREREQUISITE_MISSING,
                "its certification names no entry: it must name the certification or legacy import");
}

// A cancellation for missed confirmations names the certification it cancels.
TEST(EntryRef, RefusesACancellationNamingAnotherRecordThanTheCertification) {
  auto cancellation = [](Records& r, Timestamp t, int certification) {
    r.add(t, [&](schema::Body::Builder b) {
      auto c = b.initCancellation();
      c.setSubject(SUBJECT);
      refTo(c.initCertification(), r, certification);
      auto years = c.initMissedYears(2);
      years.set(0, 2027);
      years.set(1, 2028);
    });
  };
  Records wrong(TOWNSHIP, SUBJECT);
  cancellation(certifiedWithObjections(wrong), at("2029-01-05"), 13);
  expectRefused(judged(wrong, at("2029-01-06")), Reason::PREREQUISITE_MISSING,
                "its certification names hreg.example/140902 #13: it must name the certification or legacy import it "
                "cancels, the latest (hreg.example/140902 #14)");

  Records ok(TOWNSHIP, SUBJECT);
  cancellation(certifiedWithObjections(ok), at("2029-01-05"), CERTIFIED_AT);
  auto s = judged(ok, at("2029-01-06"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CANCELLED);
}

// A yearly confirmation and an evaluation name the certification they confirm or evaluate.
TEST(EntryRef, RefusesAConfirmationAndAnEvaluationNamingAnotherRecordThanTheCertification) {
  Records confirmed(TOWNSHIP, SUBJECT);
  confirmation(certifiedWithObjections(confirmed), at("2026-12-10"), 2026, 9);  // the notice
  expectRefused(judged(confirmed, at("2026-12-11")), Reason::PREREQUISITE_MISSING,
                "decision 15 (confirmation): its certification names hreg.example/140902 #9: it must name the "
                "certification or legacy import it confirms, the latest (hreg.example/140902 #14)");

  Records unnamed(TOWNSHIP, SUBJECT);
  confirmation(certifiedWithObjections(unnamed), at("2026-12-10"), 2026, -1);
  expectRefused(judged(unnamed, at("2026-12-11")), Reason::PREREQUISITE_MISSING,
                "its certification names no entry: it must name the certification or legacy import it confirms");

  Records evaluated(TOWNSHIP, SUBJECT);
  confirmation(certifiedWithObjections(evaluated), at("2026-12-10"), 2026);
  evaluation(evaluated, at("2028-05-10"), ReviewOutcome::PASS, "qualified", 15);  // the confirmation
  expectRefused(judged(evaluated, at("2028-05-11")), Reason::PREREQUISITE_MISSING,
                "decision 16 (evaluation): its certification names hreg.example/140902 #15: it must name the "
                "certification or legacy import it evaluates, the latest (hreg.example/140902 #14)");

  Records ok(TOWNSHIP, SUBJECT);
  confirmation(certifiedWithObjections(ok), at("2026-12-10"), 2026);
  confirmation(ok, at("2027-12-10"), 2027);
  evaluation(ok, at("2028-05-10"), ReviewOutcome::PASS, "qualified");
  auto s = judged(ok, at("2028-05-11"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
}

// A cancellation's lastConfirmation names the confirmation of the latest year confirmed since the
// certification, or nothing when there is none.
TEST(EntryRef, RefusesACancellationWhoseLastConfirmationIsNotTheLatestConfirmation) {
  auto cancellation = [](Records& r, Timestamp t, std::vector<std::uint16_t> missed, int lastConfirmation) {
    r.add(t, [&](schema::Body::Builder b) {
      auto c = b.initCancellation();
      c.setSubject(SUBJECT);
      refTo(c.initCertification(), r, CERTIFIED_AT);
      refTo(c.initLastConfirmation(), r, lastConfirmation);
      auto years = c.initMissedYears(static_cast<unsigned>(missed.size()));
      for (unsigned k = 0; k < missed.size(); ++k) years.set(k, missed[k]);
    });
  };
  auto confirmed = [](Records& r) -> Records& {  // 2026 (15) and 2027 (16) confirmed, 2028 and 2029 missed
    confirmation(certifiedWithObjections(r), at("2026-12-10"), 2026);
    return confirmation(r, at("2027-12-10"), 2027);
  };

  Records earlier(TOWNSHIP, SUBJECT);
  cancellation(confirmed(earlier), at("2030-01-05"), {2028, 2029}, 15);
  expectRefused(judged(earlier, at("2030-01-06")), Reason::PREREQUISITE_MISSING,
                "decision 17 (cancellation): its lastConfirmation names hreg.example/140902 #15: it must name the "
                "confirmation of the latest year confirmed since the certification (empty when there is none) "
                "(hreg.example/140902 #16)");

  Records unnamed(TOWNSHIP, SUBJECT);
  cancellation(confirmed(unnamed), at("2030-01-05"), {2028, 2029}, -1);
  expectRefused(judged(unnamed, at("2030-01-06")), Reason::PREREQUISITE_MISSING,
                "its lastConfirmation names no entry: it must name the confirmation of the latest year confirmed");

  Records none(TOWNSHIP, SUBJECT);  // nothing confirmed, yet the certification named as the last confirmation
  cancellation(certifiedWithObjections(none), at("2029-01-05"), {2027, 2028}, CERTIFIED_AT);
  expectRefused(judged(none, at("2029-01-06")), Reason::PREREQUISITE_MISSING,
                "its lastConfirmation names hreg.example/140902 #14: it must name the confirmation of the latest year "
                "confirmed since the certification (empty when there is none), and none is recorded");

  Records ok(TOWNSHIP, SUBJECT);
  cancellation(confirmed(ok), at("2030-01-05"), {2028, 2029}, 16);
  auto s = judged(ok, at("2030-01-06"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CANCELLED);
}

TEST(EntryRef, AGroundNineProposalWithNoResultNamesTheOrderWhoseDeadlinePassed) {
  Records r(TOWNSHIP, SUBJECT);
  certifiedWithObjections(r);
  evaluation(r, at("2028-05-10"), ReviewOutcome::REJECT, "poor");
  rectificationOrder(r, at("2028-05-20"), 15);
  proposal(r, at("2028-09-04"), 9, {15});  // the evaluation
  expectRefused(judged(r, at("2028-09-05")), Reason::PREREQUISITE_MISSING,
                "the rectification order whose deadline passed (hreg.example/140902 #16)");

  Records ok(TOWNSHIP, SUBJECT);
  certifiedWithObjections(ok);
  evaluation(ok, at("2028-05-10"), ReviewOutcome::REJECT, "poor");
  rectificationOrder(ok, at("2028-05-20"), 15);
  proposal(ok, at("2028-09-04"), 9, {15, 16});
  EXPECT_TRUE(judged(ok, at("2028-09-05")));
}

TEST(EntryRef, RefusesAnAppealAnAppealDecisionAndARevocationNamingAnotherRecord) {
  Records appealed(TOWNSHIP, SUBJECT);
  proposal(failedRectification(appealed), at("2028-09-08"), 9, {17});
  appeal(appealed, at("2028-09-12"), 17);
  expectRefused(judged(appealed, at("2028-09-13")), Reason::PREREQUISITE_MISSING,
                "its proposal names hreg.example/140902 #17: it must name the revocation proposal appealed");

  Records decided(TOWNSHIP, SUBJECT);
  proposal(failedRectification(decided), at("2028-09-08"), 9, {17});
  appeal(decided, at("2028-09-12"), 18);
  appealDecision(decided, at("2028-09-19"), 18);
  expectRefused(judged(decided, at("2028-09-20")), Reason::PREREQUISITE_MISSING,
                "its appeal names hreg.example/140902 #18: it must name the latest appeal (hreg.example/140902 #19)");

  Records revoked(TOWNSHIP, SUBJECT);
  proposal(failedRectification(revoked), at("2028-09-08"), 9, {17});
  revocation(revoked, at("2028-09-20"), 17, -1);
  expectRefused(judged(revoked, at("2028-09-21")), Reason::PREREQUISITE_MISSING,
                "it must name the revocation proposal it makes final, the latest (hreg.example/140902 #18)");

  Records unnamed(TOWNSHIP, SUBJECT);  // the appeal decided, the revocation names none
  proposal(failedRectification(unnamed), at("2028-09-08"), 9, {17});
  appeal(unnamed, at("2028-09-12"), 18);
  appealDecision(unnamed, at("2028-09-19"), 19);
  revocation(unnamed, at("2028-09-21"), 18, -1);
  expectRefused(judged(unnamed, at("2028-09-22")), Reason::PREREQUISITE_MISSING,
                "its appealDecision names no entry: it must name the decision on the appeal");

  Records unappealed(TOWNSHIP, SUBJECT);  // no appeal: the revocation names no appeal decision
  proposal(failedRectification(unappealed), at("2028-09-08"), 9, {17});
  revocation(unappealed, at("2028-09-20"), 18, -1);
  EXPECT_TRUE(judged(unappealed, at("2028-09-21")));
  ASSERT_EQ(last(unappealed), 19);
}

// The prefecture's panel (001 art. 6(2)): a recusal, a score and a conclusion each name the draw.
TEST(EntryRef, RefusesARecusalAScoreAndAConclusionNamingAnotherRecordThanTheDraw) {
  const std::vector<std::string> panel{"6542-E-0001", "6542-E-0002", "6542-E-0003", "6542-E-0004", "6542-E-0005"};
  auto drawnPanel = [&](Records& r) -> Records& {
    r.application(at("2026-04-07"), Level::PREFECTURE).recommendation(at("2026-04-14"), Level::PREFECTURE);
    r.in("hreg.example/6542").siteInspection(at("2026-04-20"), ReviewOutcome::PASS);
    return r.panelDraw(at("2026-04-22"), {r.subject()}, DrawSeed{"hreg.example/6542", 3, {}}, 5, panel);  // #3
  };
  auto recusal = [&](Records& r, int draw) {
    r.add(at("2026-04-23"), [&](schema::Body::Builder b) {
      auto c = b.initRecusal();
      c.setSubject(r.subject());
      c.setExpert(panel[1]);
      c.setRequestedBy(schema::RecusalRequester::EXPERT);
      c.setGranted(true);
      c.setReplacement("6542-E-0006");
      refTo(c.initDraw(), r, draw);
    });
  };
  auto score = [&](Records& r, const std::string& expert, int draw) {
    r.add(at("2026-04-28"), [&](schema::Body::Builder b) {
      auto c = b.initExpertScore();
      c.setSubject(r.subject());
      c.setExpert(expert);
      c.setTotal(900);
      refTo(c.initDraw(), r, draw);
    });
  };
  auto conclusion = [&](Records& r, int draw, std::vector<int> scores = {}) {
    r.add(at("2026-04-29"), [&](schema::Body::Builder b) {
      auto c = b.initPanelConclusion();
      c.setSubject(r.subject());
      c.setOutcome(ReviewOutcome::PASS);
      refTo(c.initDraw(), r, draw);
      auto list = c.initScores(static_cast<unsigned>(scores.size()));
      for (unsigned k = 0; k < scores.size(); ++k) refTo(list[k], r, scores[k]);
    });
  };

  Records recused("hreg.example/654201", "654201-W-0003");
  recusal(drawnPanel(recused), 2);
  expectRefused(judged(recused, at("2026-04-24")), Reason::PREREQUISITE_MISSING,
                "its draw names hreg.example/6542 #2: it must name the panel draw (hreg.example/6542 #3)");

  Records scored("hreg.example/654201", "654201-W-0003");
  score(drawnPanel(scored), panel[0], -1);
  expectRefused(judged(scored, at("2026-04-29")), Reason::PREREQUISITE_MISSING, "its draw names no entry");

  Records concluded("hreg.example/654201", "654201-W-0003");
  drawnPanel(concluded);
  for (const std::string& e : panel) score(concluded, e, 3);
  conclusion(concluded, 1);
  expectRefused(judged(concluded, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "decision 9 (panelConclusion): its draw names hreg.example/654201 #1");

  Records passed("hreg.example/654201", "654201-W-0003");
  drawnPanel(passed);
  recusal(passed, 3);
  for (const std::string& e : {panel[0], std::string("6542-E-0006"), panel[2], panel[3], panel[4]}) score(passed, e, 3);
  conclusion(passed, 3, {5, 6, 7, 8, 9});
  auto s = judged(passed, at("2026-04-30"));
  ASSERT_TRUE(s) << s.error().detail;

  // A conclusion's scores are exactly the scores recorded for the draw, each once (001 art. 6(2)).
  auto scoredAfterRecusal = [&](Records& r) -> Records& {  // #4 recusal, the scores #5..#9
    recusal(drawnPanel(r), 3);
    for (const std::string& e : {panel[0], std::string("6542-E-0006"), panel[2], panel[3], panel[4]}) score(r, e, 3);
    return r;
  };
  Records missing("hreg.example/654201", "654201-W-0003");
  conclusion(scoredAfterRecusal(missing), 3, {5, 6, 7, 8});
  expectRefused(judged(missing, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "decision 10 (panelConclusion): its scores leave out 6542-E-0005's score (hreg.example/6542 #9): they "
                "must name exactly the scores recorded for the panel draw, each once ([hreg.example/6542 #5 "
                "(6542-E-0001), hreg.example/6542 #6 (6542-E-0006)");

  Records twice("hreg.example/654201", "654201-W-0003");
  conclusion(scoredAfterRecusal(twice), 3, {5, 6, 7, 8, 9, 5});
  expectRefused(judged(twice, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "its scores name hreg.example/6542 #5 twice");

  Records other("hreg.example/654201", "654201-W-0003");
  conclusion(scoredAfterRecusal(other), 3, {4, 5, 6, 7, 8, 9});  // the recusal
  expectRefused(judged(other, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "its scores name hreg.example/6542 #4, not a score recorded for the panel draw");

  Records withdrawn("hreg.example/654201", "654201-W-0003");  // an expert whose score was recorded, then withdrawn
  drawnPanel(withdrawn);
  score(withdrawn, panel[1], 3);  // #4
  recusal(withdrawn, 3);          // #5
  for (const std::string& e : {panel[0], std::string("6542-E-0006"), panel[2], panel[3], panel[4]}) score(withdrawn, e, 3);
  conclusion(withdrawn, 3, {4, 6, 7, 8, 9, 10});
  expectRefused(judged(withdrawn, at("2026-04-30")), Reason::PREREQUISITE_MISSING,
                "its scores name hreg.example/6542 #4, not a score recorded for the panel draw");
}

// A rectification order follows from the failed evaluation (000 §4(2); 001 art. 9(4)).
TEST(EntryRef, RefusesARectificationOrderWhoseCauseIsNotTheFailedEvaluation) {
  auto order = [](Records& r, Timestamp t, int cause) { rectificationOrder(r, t, cause); };
  Records wrong(TOWNSHIP, SUBJECT);
  evaluation(certifiedWithObjections(wrong), at("2028-05-10"), ReviewOutcome::REJECT, "poor");  // #15
  order(wrong, at("2028-05-20"), CERTIFIED_AT);
  expectRefused(judged(wrong, at("2028-05-21")), Reason::PREREQUISITE_MISSING,
                "decision 16 (rectificationOrder): its cause names hreg.example/140902 #14: it must name the failed "
                "evaluation it follows from, the latest since the certification (hreg.example/140902 #15)");

  Records passed(TOWNSHIP, SUBJECT);  // the evaluation passed: no evaluation calls for an order
  evaluation(certifiedWithObjections(passed), at("2028-05-10"), ReviewOutcome::PASS, "qualified");
  order(passed, at("2028-05-20"), 15);
  expectRefused(judged(passed, at("2028-05-21")), Reason::PREREQUISITE_MISSING,
                "its cause names hreg.example/140902 #15: it must name the failed evaluation it follows from, the "
                "latest since the certification, and none is recorded");

  Records ok(TOWNSHIP, SUBJECT);
  evaluation(certifiedWithObjections(ok), at("2028-05-10"), ReviewOutcome::REJECT, "poor");
  order(ok, at("2028-05-20"), 15);
  auto s = judged(ok, at("2028-05-21"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::RECTIFICATION);
}

// A draw's seed is a checkpoint of the drawing node's own log made before the draw (001 art. 6(2)):
// one of another log, or of a size that includes the draw, is refused with both positions.
TEST(EntryRef, RefusesADrawWhoseSeedIsNotACheckpointOfItsOwnLogBeforeIt) {
  const std::vector<std::string> panel{"6542-E-0001", "6542-E-0002", "6542-E-0003", "6542-E-0004", "6542-E-0005"};
  auto drawFrom = [&](Records& r, const DrawSeed& seed) {
    r.application(at("2026-04-07"), Level::PREFECTURE).recommendation(at("2026-04-14"), Level::PREFECTURE);
    r.in("hreg.example/6542").siteInspection(at("2026-04-20"), ReviewOutcome::PASS);
    r.panelDraw(at("2026-04-22"), {r.subject()}, seed, 5, panel);  // #3
  };
  Records elsewhere(COUNTY, SUBJECT);
  drawFrom(elsewhere, DrawSeed{COUNTY, 2, {}});
  expectRefused(judged(elsewhere, at("2026-04-23")), Reason::DRAW_MISMATCH,
                "decision 3 (panelDraw): the seed is a checkpoint of hreg.example/140902, but the draw is recorded in "
                "hreg.example/6542: a draw's seed is a checkpoint of the drawing node's own log, made before the draw");

  Records later(COUNTY, SUBJECT);
  drawFrom(later, DrawSeed{"hreg.example/6542", 4, {}});
  expectRefused(judged(later, at("2026-04-23")), Reason::DRAW_MISMATCH,
                "the seed, the checkpoint of hreg.example/6542 at size 4, did not exist before the draw "
                "(hreg.example/6542 #3): draw from a checkpoint of size 3 or less");

  Records before(COUNTY, SUBJECT);
  drawFrom(before, DrawSeed{"hreg.example/6542", 3, {}});
  auto s = judged(before, at("2026-04-23"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::PANEL_REVIEW);
}

}  // namespace
}  // namespace hreg::rules
