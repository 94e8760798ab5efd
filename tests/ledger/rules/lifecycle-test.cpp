#include "ledger/rules/lifecycle.h"

#include <gtest/gtest.h>

#include <memory>

#include <capnp/message.h>

#include "admin-cli/demo-federation.h"
#include "ledger/rules/calendar-file.h"
#include "ledger/rules/date.h"
#include "tests/support/files.h"

namespace hreg::rules {
namespace {

using schema::ReviewOutcome;

// at is the UTC time of `hour`:00 on `date` in Beijing.
Timestamp at(const char* date, int hour = 10) { return startOfDay(parseDate(date).value()) + hour * 3600; }

// The State Council's 2026 calendar: 中秋节 25–27 September, 国庆节 1–7 October, make-up Saturday 10 October.
Calendar national2026() {
  auto layer = parseNationalCalendarFile(testing::sourceFile("configs/calendar/CN-2026.toml"), "CN-2026.toml");
  return Calendar::fromLayers({layer.value()}).value();
}

const LifecyclePolicy POLICY{};  // the built-in settings: 5, 5, 5, 10 working days; 3 years; 2 years

constexpr const char* SUBJECT = "140902-W-0001";

// refusalSays: `r` was refused with a detail that says `says` (what an official reads).
template <class T>
::testing::AssertionResult refusalSays(const Result<T>& r, const std::string& says) {
  if (r) return ::testing::AssertionFailure() << "accepted; expected a refusal saying '" << says << "'";
  if (r.error().detail.find(says) == std::string::npos)
    return ::testing::AssertionFailure() << "the detail does not say '" << says << "': " << r.error().detail;
  return ::testing::AssertionSuccess();
}

// Decisions builds one subject's decisions in log order, as capnp messages (no signatures: the
// lifecycle reads decisions only).
class Decisions {
 public:
  template <class Fill>
  Decisions& add(Timestamp time, Fill fill) {
    auto message = std::make_unique<capnp::MallocMessageBuilder>();
    auto decision = message->initRoot<schema::Decision>();
    decision.initHeader().setOrigin("hreg.example/140902");
    decision.getHeader().setTime(time);
    fill(decision.initBody());
    readers_.push_back(decision.asReader());
    messages_.push_back(std::move(message));
    return *this;
  }
  Decisions& application(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto a = b.initApplication();
      a.setSubject(SUBJECT);
      a.setReceivedAt(t);
    });
  }
  Decisions& preliminary(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto p = b.initPreliminaryReview();
      p.setSubject(SUBJECT);
      p.setOutcome(outcome);
    });
  }
  Decisions& finding(Timestamp t, const char* department, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto f = b.initJointReviewFinding();
      f.setSubject(SUBJECT);
      f.setDepartment(department);
      f.setOutcome(outcome);
    });
  }
  Decisions& jointResult(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initJointReviewResult();
      r.setSubject(SUBJECT);
      r.setOutcome(outcome);
    });
  }
  Decisions& notice(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto n = b.initNotice();
      n.initSubjects(1).set(0, SUBJECT);
      n.setPublishedAt(t);
    });
  }
  Decisions& objection(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto o = b.initObjection();
      o.setSubject(SUBJECT);
      o.setReceivedAt(t);
    });
  }
  Decisions& resolution(Timestamp t, bool upheld) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initObjectionResolution();
      r.setSubject(SUBJECT);
      r.setUpheld(upheld);
    });
  }
  Decisions& certification(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) { b.initCertification().setSubject(SUBJECT); });
  }
  Decisions& confirmation(Timestamp t, int year) {
    return add(t, [&](schema::Body::Builder b) {
      auto c = b.initConfirmation();
      c.setSubject(SUBJECT);
      c.setYear(static_cast<std::uint16_t>(year));
    });
  }
  Decisions& proposal(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto p = b.initRevocationProposal();
      p.setSubject(SUBJECT);
      p.setGround(4);
      p.setServedAt(t);
    });
  }
  Decisions& appeal(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto a = b.initAppeal();
      a.setSubject(SUBJECT);
      a.setReceivedAt(t);
    });
  }
  Decisions& appealDecision(Timestamp t, bool upheld) {
    return add(t, [&](schema::Body::Builder b) {
      auto d = b.initAppealDecision();
      d.setSubject(SUBJECT);
      d.setUpheld(upheld);
    });
  }
  Decisions& revocation(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initRevocation();
      r.setSubject(SUBJECT);
      r.setGround(4);
    });
  }
  // passedJointReview: application, preliminary review and all six departments passing, in September 2026.
  Decisions& passedJointReview() {
    application(at("2026-09-01")).preliminary(at("2026-09-07"), ReviewOutcome::PASS);
    for (const std::string& d : POLICY.departments) finding(at("2026-09-14"), d.c_str(), ReviewOutcome::PASS);
    return jointResult(at("2026-09-21"), ReviewOutcome::PASS);
  }
  std::span<const schema::Decision::Reader> all() const { return readers_; }

 private:
  std::vector<std::unique_ptr<capnp::MallocMessageBuilder>> messages_;
  std::vector<schema::Decision::Reader> readers_;
};

Result<Status> statusOf(const Decisions& d, Timestamp asOf) { return status(d.all(), POLICY, national2026(), asOf); }

// ---- Guards ----

// A notice opened Tuesday 2026-09-29 runs 30 Sep, 8, 9, 10 (make-up Saturday) and 12 October.
TEST(ObjectionInTime, IsAcceptedOnTheLastDayOfANoticeThatSpansNationalDay) {
  EXPECT_TRUE(objectionInTime(at("2026-09-29", 9), at("2026-10-12", 23), POLICY, national2026()));
}
TEST(ObjectionInTime, IsRefusedTheDayAfterTheNoticeClosed) {
  auto late = objectionInTime(at("2026-09-29", 9), at("2026-10-13", 0), POLICY, national2026());
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, Reason::WINDOW_CLOSED);
  EXPECT_TRUE(refusalSays(late, "objection received 2026-10-13 after the notice of 2026-09-29 closed with 2026-10-12 "
                                "(5 working days); answer the objector that it is late"));
}
TEST(ObjectionInTime, FollowsALongerNoticeFromPolicy) {
  LifecyclePolicy longer = POLICY;
  longer.noticeWorkingDays = 7;  // 13 and 14 October added
  EXPECT_TRUE(objectionInTime(at("2026-09-29", 9), at("2026-10-14"), longer, national2026()));
}

TEST(CertificationAllowed, IsAcceptedAfterAPassedJointReviewAndAClosedNotice) {
  NoticeFacts facts{true, at("2026-09-29", 9), false, 0, std::nullopt};
  EXPECT_TRUE(certificationAllowed(facts, at("2026-10-13", 9), POLICY, national2026()));
}
TEST(CertificationAllowed, IsRefusedWhileTheNoticeIsOpen) {
  NoticeFacts facts{true, at("2026-09-29", 9), false, 0, std::nullopt};
  auto early = certificationAllowed(facts, at("2026-10-12", 17), POLICY, national2026());
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().reason, Reason::WINDOW_OPEN);
  EXPECT_TRUE(refusalSays(early, "the notice runs until the end of 2026-10-12: certify after it closes"));
}
TEST(CertificationAllowed, IsRefusedWhenTheApplicationFallsBelowTheMinimumConditions) {
  LifecyclePolicy xinzhou = POLICY;  // 60 m², 2 trainings, 2 practitioners (domain.md, policy)
  xinzhou.minSiteAreaM2 = 60;
  xinzhou.minTrainings = 2;
  xinzhou.minPractitioners = 2;
  NoticeFacts facts{true, at("2026-09-29", 9), false, 0, StatedConditions{595, 2, 1, 0}};
  auto r = certificationAllowed(facts, at("2026-10-13", 9), xinzhou, national2026());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::CONDITION_NOT_MET);
  EXPECT_NE(r.error().detail.find("a site of 59.5 m², at least 60 m² required"), std::string::npos) << r.error().detail;
  EXPECT_NE(r.error().detail.find("1 inheritors or practitioners, at least 2"), std::string::npos) << r.error().detail;
  EXPECT_EQ(r.error().detail.find("trainings"), std::string::npos) << "2 trainings meet the minimum: " << r.error().detail;
  facts.stated = StatedConditions{600, 2, 2, 0};
  EXPECT_TRUE(certificationAllowed(facts, at("2026-10-13", 9), xinzhou, national2026())) << "exactly the minimum";
  facts.stated.reset();
  EXPECT_TRUE(certificationAllowed(facts, at("2026-10-13", 9), xinzhou, national2026()))
      << "no application states anything (a path without one)";
}
TEST(CertificationAllowed, IsRefusedWithoutAPassedJointReview) {
  NoticeFacts facts{false, at("2026-09-29", 9), false, 0, std::nullopt};
  auto r = certificationAllowed(facts, at("2026-10-13"), POLICY, national2026());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::PREREQUISITE_MISSING);
  EXPECT_TRUE(refusalSays(r, "no passed joint review or panel conclusion: record a passing review result first"));
}
TEST(CertificationAllowed, IsRefusedWithoutANotice) {
  NoticeFacts facts{true, std::nullopt, false, 0, std::nullopt};
  auto r = certificationAllowed(facts, at("2026-10-13"), POLICY, national2026());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::PREREQUISITE_MISSING);
  EXPECT_TRUE(refusalSays(r, "no public notice: publish the notice first"));
}
TEST(CertificationAllowed, IsRefusedAfterAnUpheldObjection) {
  NoticeFacts facts{true, at("2026-09-29", 9), true, 0, std::nullopt};
  auto r = certificationAllowed(facts, at("2026-10-13"), POLICY, national2026());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::OBJECTION_UPHELD);
  EXPECT_TRUE(refusalSays(r, "an objection was upheld: the candidate lost its proposed certification"));
}
TEST(CertificationAllowed, IsRefusedWhileAnObjectionIsBeingVerified) {
  NoticeFacts facts{true, at("2026-09-29", 9), false, 1, std::nullopt};
  auto r = certificationAllowed(facts, at("2026-10-13"), POLICY, national2026());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::OBJECTION_PENDING);
  EXPECT_TRUE(refusalSays(r, "1 objection(s) still being verified: record their resolutions first"));
}

// A proposal served Thursday 2026-09-24: 中秋节 follows; the window runs 28, 29, 30 Sep, 8 and 9 Oct.
TEST(AppealInTime, IsAcceptedOnTheLastDayAfterTheHolidays) {
  EXPECT_TRUE(appealInTime(at("2026-09-24"), at("2026-10-09", 18), POLICY, national2026()));
}
TEST(AppealInTime, IsRefusedOnTheMakeUpSaturdayAfterTheWindow) {
  auto late = appealInTime(at("2026-09-24"), at("2026-10-10", 9), POLICY, national2026());
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, Reason::WINDOW_CLOSED);
  EXPECT_TRUE(refusalSays(late, "appeal received 2026-10-10 after its window closed with 2026-10-09 (5 working days "
                                "from 2026-09-24)"));
}
TEST(AppealWindowClosed, RefusesARevocationWhileTheWindowRuns) {
  auto early = appealWindowClosed(at("2026-09-24"), at("2026-10-09"), POLICY, national2026());
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().reason, Reason::WINDOW_OPEN);
  EXPECT_TRUE(refusalSays(early, "the appeal window runs until the end of 2026-10-09: revoke after it closes"));
  EXPECT_TRUE(appealWindowClosed(at("2026-09-24"), at("2026-10-10"), POLICY, national2026()));
}

TEST(ReapplicationAllowed, IsAcceptedWhenNeverRevokedOrAfterTheBan) {
  EXPECT_TRUE(reapplicationAllowed(std::nullopt, at("2026-10-10"), POLICY));
  EXPECT_TRUE(reapplicationAllowed(at("2026-10-09"), at("2029-10-09", 0), POLICY));
}
TEST(ReapplicationAllowed, IsRefusedWithinTheBan) {
  auto banned = reapplicationAllowed(at("2026-10-09"), at("2029-10-08", 23), POLICY);
  ASSERT_FALSE(banned);
  EXPECT_EQ(banned.error().reason, Reason::REAPPLICATION_BANNED);
  EXPECT_TRUE(refusalSays(banned, "revoked on 2026-10-09: it may apply again from 2029-10-09 (3 years)"));
}
TEST(BanEndsAt, MovesTwentyNinthFebruaryToFirstMarch) {
  EXPECT_EQ(banEndsAt(at("2028-02-29"), POLICY), at("2031-03-01", 0));
}

TEST(JointReviewPasses, WhenEveryPolicyDepartmentPassed) {
  std::vector<Finding> findings;
  for (const auto& d : POLICY.departments) findings.push_back({d, true});
  EXPECT_TRUE(jointReviewPasses(findings, POLICY));
}
TEST(JointReviewPasses, IsRefusedWhenADepartmentIsMissingOrRejected) {
  std::vector<Finding> findings{{"culture", true}, {"hrss", true}, {"rural", true}, {"finance", true}, {"market", true}};
  auto missing = jointReviewPasses(findings, POLICY);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().reason, Reason::DEPARTMENT_NOT_PASSED);
  EXPECT_TRUE(refusalSays(missing, "no pass finding from [land]: each required department must pass it"));
  findings.push_back({"land", false});
  auto rejected = jointReviewPasses(findings, POLICY);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().reason, Reason::DEPARTMENT_NOT_PASSED);
  EXPECT_TRUE(refusalSays(rejected, "no pass finding from [land]"));
  findings.push_back({"land", true});  // the latest finding of a department counts
  EXPECT_TRUE(jointReviewPasses(findings, POLICY));
}
TEST(JointReviewPasses, UsesTheFindingsPresentWhenPolicyNamesNoDepartments) {
  LifecyclePolicy open = POLICY;
  open.departments.clear();
  std::vector<Finding> findings{{"culture", true}, {"rural", true}};
  EXPECT_TRUE(jointReviewPasses(findings, open));
  findings.push_back({"hrss", false});
  auto r = jointReviewPasses(findings, open);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::DEPARTMENT_NOT_PASSED);
  EXPECT_TRUE(refusalSays(r, "no pass finding from [hrss]"));
  auto none = jointReviewPasses({}, open);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().reason, Reason::DEPARTMENT_NOT_PASSED);
  EXPECT_TRUE(refusalSays(none, "no department recorded a finding"));
}

TEST(ConfirmationsMissed, CancelsAtTheEndOfTheSecondYearWithoutConfirmation) {
  EXPECT_EQ(missedYears(2026, 0, at("2028-12-31", 23), POLICY), std::vector<int>{});
  EXPECT_EQ(missedYears(2026, 0, at("2029-01-01", 0), POLICY), (std::vector<int>{2027, 2028}));
  EXPECT_EQ(missedYears(2026, 2027, at("2029-06-01"), POLICY), std::vector<int>{});
  auto early = confirmationsMissed(2026, 2027, at("2029-06-01"), POLICY);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().reason, Reason::WINDOW_OPEN);
  EXPECT_TRUE(refusalSays(early, "fewer than 2 years without confirmation have ended: cancellation comes at 2030-01-01"));
  EXPECT_TRUE(confirmationsMissed(2026, 2027, at("2030-01-01", 0), POLICY));
}

// Through status() a recommendation after the years without confirmation is refused by the stage time
// alone derived (cancelled) before this guard runs; the guard itself says why, for a caller asking it.
TEST(RecommendationAllowed, IsRefusedOnceCancelledByTimeAndForNoHigherLevel) {
  using schema::Level;
  EXPECT_TRUE(recommendationAllowed(Level::COUNTY, Level::PREFECTURE, at("2029-01-01", 0), at("2028-12-31", 23)));
  auto cancelled = recommendationAllowed(Level::COUNTY, Level::PREFECTURE, at("2029-01-01", 0), at("2029-03-15"));
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().reason, Reason::WRONG_STAGE);
  EXPECT_TRUE(refusalSays(cancelled, "its certification was cancelled on 2029-01-01 by the years without confirmation "
                                     "(derived, not yet recorded): record the cancellation"));
  auto same = recommendationAllowed(Level::PREFECTURE, Level::PREFECTURE, std::nullopt, at("2029-03-15"));
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().reason, Reason::WRONG_LEVEL);
  EXPECT_TRUE(refusalSays(same, "certified at prefecture level and recommended for prefecture level: a recommendation "
                                "is for a higher level"));
  EXPECT_TRUE(recommendationAllowed(std::nullopt, Level::COUNTY, std::nullopt, at("2029-03-15"))) << "not certified";
}

// ---- The transition table, through status() ----

TEST(Status, WalksFromApplicationToCertificationAcrossNationalDay) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).certification(at("2026-10-13", 9));
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
  EXPECT_EQ(s.value().since, at("2026-10-13", 9));
  EXPECT_EQ(s.value().steps.size(), 11u);
  EXPECT_EQ(s.value().steps.back().policyVersion, "built-in");
  ASSERT_EQ(s.value().deadlines.size(), 2u);
  EXPECT_EQ(s.value().deadlines[0].what, "notice");
  EXPECT_EQ(s.value().deadlines[0].deadline.lastDay, (Date{2026, 10, 12}));
  EXPECT_EQ(s.value().deadlines[1].what, "evaluation");
  EXPECT_EQ(s.value().deadlines[1].deadline.lastDay, (Date{2028, 10, 12}));
  EXPECT_TRUE(s.value().derived.empty());
}
TEST(Status, RefusesACertificationOnTheNoticesLastDay) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).certification(at("2026-10-12", 15));
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::WINDOW_OPEN);
}
TEST(Status, RefusesAJointReviewResultPassedWithoutEveryDepartment) {
  Decisions d;
  d.application(at("2026-09-01")).preliminary(at("2026-09-07"), ReviewOutcome::PASS);
  d.finding(at("2026-09-14"), "culture", ReviewOutcome::PASS).jointResult(at("2026-09-21"), ReviewOutcome::PASS);
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::DEPARTMENT_NOT_PASSED);
}
TEST(Status, RefusesARecordTheTableDoesNotAllow) {
  Decisions d;
  d.application(at("2026-09-01")).notice(at("2026-09-29"));
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::WRONG_STAGE);
}
TEST(Status, ARejectedPreliminaryReviewEndsTheApplication) {
  Decisions d;
  d.application(at("2026-09-01")).preliminary(at("2026-09-07"), ReviewOutcome::REJECT);
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().stage, Stage::PRELIMINARY_REJECTED);
}

TEST(Status, AcceptsAnObjectionOnTheLastNoticeDayAndMarksALateVerificationOverdue) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).objection(at("2026-09-30"));
  auto pending = statusOf(d, at("2026-10-14"));
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending.value().stage, Stage::OBJECTION_OPEN);
  ASSERT_EQ(pending.value().deadlines.size(), 2u);
  EXPECT_EQ(pending.value().deadlines[1].what, "objection-verification");
  EXPECT_EQ(pending.value().deadlines[1].deadline.lastDay, (Date{2026, 10, 13}));
  EXPECT_TRUE(pending.value().deadlines[1].overdue);  // not verified by the end of 13 October

  d.resolution(at("2026-10-14"), false).certification(at("2026-10-15"));
  auto done = statusOf(d, at("2026-10-16"));
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_EQ(done.value().stage, Stage::CERTIFIED);
  EXPECT_FALSE(done.value().deadlines[1].met);
  EXPECT_TRUE(done.value().deadlines[1].overdue);  // accepted, but marked
}
TEST(Status, RefusesAnObjectionAfterTheNoticeClosed) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).objection(at("2026-10-13", 9));
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::WINDOW_CLOSED);
}
TEST(Status, RefusesACertificationAfterAnUpheldObjection) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).objection(at("2026-09-30")).resolution(at("2026-10-09"), true);
  auto upheld = statusOf(d, at("2026-10-14"));
  ASSERT_TRUE(upheld);
  EXPECT_EQ(upheld.value().stage, Stage::OBJECTION_UPHELD);
  EXPECT_TRUE(upheld.value().deadlines[1].met);
  d.certification(at("2026-10-13"));
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::OBJECTION_UPHELD);
}
TEST(Status, StaysUnderObjectionUntilEveryObjectionIsResolved) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).objection(at("2026-09-30")).objection(at("2026-10-08"));
  d.resolution(at("2026-10-09"), false);
  auto s = statusOf(d, at("2026-10-09", 12));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().stage, Stage::OBJECTION_OPEN);
}

// A certified workshop whose revocation is proposed (served Thursday 2026-09-24).
Decisions& certifiedAndProposed(Decisions& d) {
  d.passedJointReview().notice(at("2026-09-01", 9)).certification(at("2026-09-10"));
  return d.proposal(at("2026-09-24"));
}

TEST(Status, DerivesTheRevocationWhenTheAppealWindowClosesUnused) {
  Decisions d;
  certifiedAndProposed(d);
  auto running = statusOf(d, at("2026-10-09", 23));
  ASSERT_TRUE(running) << running.error().detail;
  EXPECT_EQ(running.value().stage, Stage::REVOCATION_PROPOSED);
  EXPECT_TRUE(running.value().derived.empty());

  auto closed = statusOf(d, at("2026-10-10", 9));
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed.value().recorded, Stage::REVOCATION_PROPOSED);
  EXPECT_EQ(closed.value().stage, Stage::REVOKED);
  EXPECT_EQ(closed.value().since, at("2026-10-10", 0));
  ASSERT_EQ(closed.value().derived.size(), 1u);
  EXPECT_EQ(closed.value().derived[0].what, "revocation-final");
  EXPECT_EQ(closed.value().derived[0].record, schema::Body::REVOCATION);
}
TEST(Status, RefusesARevocationRecordedWhileTheAppealWindowRuns) {
  Decisions d;
  certifiedAndProposed(d).revocation(at("2026-10-09"));
  auto s = statusOf(d, at("2026-10-12"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::WINDOW_OPEN);
}
TEST(Status, AcceptsAnAppealInTimeAndMarksALateReExaminationOverdue) {
  Decisions d;
  certifiedAndProposed(d).appeal(at("2026-09-30")).appealDecision(at("2026-10-21"), true);
  auto s = statusOf(d, at("2026-10-22"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::CERTIFIED);
  const DeadlineStatus& review = s.value().deadlines.back();
  EXPECT_EQ(review.what, "appeal-review");
  EXPECT_EQ(review.deadline.lastDay, (Date{2026, 10, 20}));
  EXPECT_TRUE(review.overdue);
}
TEST(Status, RefusesAnAppealAfterItsWindow) {
  Decisions d;
  certifiedAndProposed(d).appeal(at("2026-10-10", 9));
  auto s = statusOf(d, at("2026-10-12"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().reason, Reason::WINDOW_CLOSED);
}
TEST(Status, ARejectedAppealLeadsToTheRecordedRevocation) {
  Decisions d;
  certifiedAndProposed(d).appeal(at("2026-09-30")).appealDecision(at("2026-10-12"), false).revocation(at("2026-10-13"));
  auto s = statusOf(d, at("2026-10-14"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s.value().stage, Stage::REVOKED);
  EXPECT_FALSE(s.value().deadlines.back().overdue);
}

TEST(Status, RefusesAReapplicationWithinTheBanAndAcceptsItAfter) {
  Decisions banned;
  certifiedAndProposed(banned).revocation(at("2026-10-10")).application(at("2029-10-09", 9));
  auto refused = statusOf(banned, at("2029-10-10"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, Reason::REAPPLICATION_BANNED);

  Decisions after;
  certifiedAndProposed(after).revocation(at("2026-10-10")).application(at("2029-10-10", 9));
  auto accepted = statusOf(after, at("2029-10-11"));
  ASSERT_TRUE(accepted) << accepted.error().detail;
  EXPECT_EQ(accepted.value().stage, Stage::APPLIED);
}
TEST(Status, ReportsTheEndOfTheReapplicationBan) {
  Decisions d;
  certifiedAndProposed(d).revocation(at("2026-10-10"));
  auto during = statusOf(d, at("2029-10-09", 23));
  ASSERT_TRUE(during);
  EXPECT_TRUE(during.value().derived.empty());
  auto over = statusOf(d, at("2029-10-10", 0));
  ASSERT_TRUE(over);
  ASSERT_EQ(over.value().derived.size(), 1u);
  EXPECT_EQ(over.value().derived[0].what, "reapplication-ban-over");
  EXPECT_FALSE(over.value().derived[0].record.has_value());
}

TEST(Status, DerivesTheCancellationAfterTwoYearsWithoutConfirmation) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9)).certification(at("2026-10-13"));
  auto kept = statusOf(d, at("2028-12-31", 23));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept.value().stage, Stage::CERTIFIED);
  auto cancelled = statusOf(d, at("2029-01-01", 0));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled.value().stage, Stage::CANCELLED);
  ASSERT_EQ(cancelled.value().derived.size(), 1u);
  EXPECT_EQ(cancelled.value().derived[0].record, schema::Body::CANCELLATION);

  d.confirmation(at("2027-12-01"), 2027);
  auto confirmed = statusOf(d, at("2029-06-01"));
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed.value().stage, Stage::CERTIFIED);
}

TEST(Status, JudgesEachStepUnderThePolicyInForceAtItsTime) {
  Decisions d;
  d.passedJointReview().notice(at("2026-09-29", 9));
  LifecyclePolicy later = POLICY;
  later.version = "hreg.example/14 v2";
  PolicyAt policyAt = [&](Timestamp t) { return t >= at("2026-09-29", 0) ? later : POLICY; };
  auto s = status(d.all(), policyAt, national2026(), at("2026-09-30"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s.value().steps.front().policyVersion, "built-in");
  EXPECT_EQ(s.value().steps.back().policyVersion, "hreg.example/14 v2");
}

TEST(LifecyclePolicy, ReadsTheBuiltInSettingsOfThePolicyInForce) {
  const cli::DemoFederation federation(std::string(HREG_SOURCE_DIR) + "/configs/demo");
  trust::AuthorityView authority{federation.root()};
  PolicyView policies{authority};
  const LifecyclePolicy p = LifecyclePolicy::from(policies.at("hreg.example/140902", at("2026-09-29")));
  EXPECT_EQ(p.noticeWorkingDays, 5);
  EXPECT_EQ(p.objectionVerificationWorkingDays, 5);
  EXPECT_EQ(p.appealWorkingDays, 5);
  EXPECT_EQ(p.appealReviewWorkingDays, 10);
  EXPECT_EQ(p.reapplicationBanYears, 3);
  EXPECT_EQ(p.missedYearsToCancel, 2);
  EXPECT_EQ(p.departments, POLICY.departments);
  EXPECT_EQ(p.version, "built-in");
}

TEST(StageName, IsStable) {
  EXPECT_EQ(stageName(Stage::ON_NOTICE), "on-notice");
  EXPECT_EQ(stageName(Stage::REVOCATION_PROPOSED), "revocation-proposed");
}

}  // namespace
}  // namespace hreg::rules
