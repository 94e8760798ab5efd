#pragma once
// One subject's decisions built in-process for the end-to-end tests of the seeds' procedures: capnp
// messages with a header (origin, time) and a body, no signatures (the lifecycle reads decisions only;
// who signs is ledger/trust's, tested there). Also the calendar of the published years and `at`.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <capnp/message.h>

#include "ledger/rules/calendar-file.h"
#include "ledger/rules/date.h"
#include "ledger/rules/lifecycle.h"
#include "ledger/rules/panel-draw.h"
#include "tests/support/files.h"

namespace hreg::rules::records {

using schema::ReviewOutcome;
using Level = schema::Level;
using Tier = schema::CraftsmanTier;

// at is the UTC time of `hour`:00 on `date` in Beijing.
inline Timestamp at(const char* date, int hour = 10) { return startOfDay(parseDate(date).value()) + hour * 3600; }

// published is the State Council's calendars of 2024–2026; later years are weekends alone.
inline Calendar published() {
  std::vector<CalendarLayer> layers;
  for (const char* year : {"2024", "2025", "2026"}) {
    const std::string name = std::string("CN-") + year + ".toml";
    layers.push_back(parseNationalCalendarFile(testing::sourceFile("configs/calendar/" + name), name).value());
  }
  return Calendar::fromLayers(layers).value();
}

// expectRefused checks a refusal's Reason and that its detail names `names` (an id or a date, the
// fact an official must see), and prints the detail.
template <class T>
void expectRefused(const Result<T>& result, Reason reason, const std::string& names = "") {
  ASSERT_FALSE(result) << "accepted; expected " << reasonName(reason);
  EXPECT_EQ(result.error().reason, reason) << result.error().detail;
  EXPECT_NE(result.error().detail.find(names), std::string::npos) << result.error().detail;
  std::printf("    refused (%s): %s\n", std::string(reasonName(result.error().reason)).c_str(),
              result.error().detail.c_str());
}

// Records builds one subject's decisions in log order. `origin` is the log each next decision goes to
// (a county's, then its prefecture's); `subject` what each is about.
class Records {
 public:
  Records(std::string origin, std::string subject) : origin_(std::move(origin)), subject_(std::move(subject)) {}

  Records& in(std::string origin) {
    origin_ = std::move(origin);
    return *this;
  }
  const std::string& subject() const { return subject_; }

  template <class Fill>
  Records& add(Timestamp time, Fill fill) {
    auto message = std::make_unique<capnp::MallocMessageBuilder>();
    auto decision = message->initRoot<schema::Decision>();
    decision.initHeader().setOrigin(origin_);
    decision.getHeader().setTime(time);
    fill(decision.initBody());
    readers_.push_back(decision.asReader());
    messages_.push_back(std::move(message));
    return *this;
  }

  // ---- Workshops ----
  Records& application(Timestamp t, Level level = Level::COUNTY, std::uint32_t siteAreaTenths = 0) {
    return add(t, [&](schema::Body::Builder b) {
      auto a = b.initApplication();
      a.setSubject(subject_);
      a.setLevel(level);
      a.setReceivedAt(t);
      a.initFacts().setSiteArea(siteAreaTenths);
    });
  }
  Records& legacyImport(Timestamp t, Level level, const char* decisionNumber) {
    return add(t, [&](schema::Body::Builder b) {
      auto l = b.initLegacyImport();
      l.setSubject(subject_);
      l.setLevel(level);
      l.setDecision(decisionNumber);
    });
  }
  Records& preliminary(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto p = b.initPreliminaryReview();
      p.setSubject(subject_);
      p.setOutcome(outcome);
      p.setSiteInspected(true);
      p.setInspectedAt(t);
    });
  }
  Records& finding(Timestamp t, const std::string& department, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto f = b.initJointReviewFinding();
      f.setSubject(subject_);
      f.setDepartment(department);
      f.setOutcome(outcome);
    });
  }
  Records& jointResult(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initJointReviewResult();
      r.setSubject(subject_);
      r.setOutcome(outcome);
    });
  }
  Records& recommendation(Timestamp t, Level level) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initRecommendation();
      r.setSubject(subject_);
      r.setLevel(level);
    });
  }
  Records& siteInspection(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto s = b.initSiteInspection();
      s.setSubject(subject_);
      s.setInspectedAt(t);
      s.setOutcome(outcome);
    });
  }
  // panelDraw records a draw for `subjects` from `seed`, listing `experts`, of `count`.
  Records& panelDraw(Timestamp t, const std::vector<std::string>& subjects, const DrawSeed& seed, unsigned count,
                     const std::vector<std::string>& experts) {
    return add(t, [&](schema::Body::Builder b) {
      auto d = b.initPanelDraw();
      auto s = d.initSubjects(static_cast<unsigned>(subjects.size()));
      for (unsigned i = 0; i < subjects.size(); ++i) s.set(i, subjects[i]);
      auto ref = d.initSeed();
      ref.setOrigin(seed.origin);
      ref.setTreeSize(seed.treeSize);
      ref.setRootHash(kj::arrayPtr(seed.root.data(), seed.root.size()));
      d.setMethod(std::string(DRAW_METHOD));
      d.setCount(static_cast<std::uint8_t>(count));
      auto e = d.initExperts(static_cast<unsigned>(experts.size()));
      for (unsigned i = 0; i < experts.size(); ++i) e.set(i, experts[i]);
    });
  }
  Records& recusal(Timestamp t, const std::string& expert, schema::RecusalRequester by, bool granted,
                   const std::string& replacement) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initRecusal();
      r.setSubject(subject_);
      r.setExpert(expert);
      r.setRequestedBy(by);
      r.setGranted(granted);
      r.setReplacement(replacement);
      if (!granted) r.setAnswer("no conflict of interest shown");
    });
  }
  Records& score(Timestamp t, const std::string& expert, std::uint16_t total) {
    return add(t, [&](schema::Body::Builder b) {
      auto s = b.initExpertScore();
      s.setSubject(subject_);
      s.setExpert(expert);
      s.setTotal(total);
    });
  }
  Records& conclusion(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto c = b.initPanelConclusion();
      c.setSubject(subject_);
      c.setOutcome(outcome);
    });
  }
  Records& notice(Timestamp t, Level level = Level::COUNTY) {
    return add(t, [&](schema::Body::Builder b) {
      auto n = b.initNotice();
      n.initSubjects(1).set(0, subject_);
      n.setLevel(level);
      n.setPublishedAt(t);
    });
  }
  Records& objection(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto o = b.initObjection();
      o.setSubject(subject_);
      o.setReceivedAt(t);
    });
  }
  Records& resolution(Timestamp t, bool upheld) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initObjectionResolution();
      r.setSubject(subject_);
      r.setUpheld(upheld);
    });
  }
  Records& certification(Timestamp t, Level level = Level::COUNTY) {
    return add(t, [&](schema::Body::Builder b) {
      auto c = b.initCertification();
      c.setSubject(subject_);
      c.setLevel(level);
    });
  }
  Records& confirmation(Timestamp t, int year) {
    return add(t, [&](schema::Body::Builder b) {
      auto c = b.initConfirmation();
      c.setSubject(subject_);
      c.setYear(static_cast<std::uint16_t>(year));
    });
  }
  Records& evaluation(Timestamp t, ReviewOutcome outcome, const char* grade) {
    return add(t, [&](schema::Body::Builder b) {
      auto e = b.initEvaluation();
      e.setSubject(subject_);
      e.setOutcome(outcome);
      e.setGrade(grade);
    });
  }
  Records& rectificationOrder(Timestamp t, Timestamp deadline) {
    return add(t, [&](schema::Body::Builder b) {
      auto o = b.initRectificationOrder();
      o.setSubject(subject_);
      o.setDeadline(deadline);
    });
  }
  Records& rectificationResult(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initRectificationResult();
      r.setSubject(subject_);
      r.setCheckedAt(t);
      r.setOutcome(outcome);
    });
  }
  Records& proposal(Timestamp t, int ground) {
    return add(t, [&](schema::Body::Builder b) {
      auto p = b.initRevocationProposal();
      p.setSubject(subject_);
      p.setGround(static_cast<std::uint8_t>(ground));
      p.setServedAt(t);
    });
  }
  Records& appeal(Timestamp t) {
    return add(t, [&](schema::Body::Builder b) {
      auto a = b.initAppeal();
      a.setSubject(subject_);
      a.setReceivedAt(t);
    });
  }
  Records& appealDecision(Timestamp t, bool upheld) {
    return add(t, [&](schema::Body::Builder b) {
      auto d = b.initAppealDecision();
      d.setSubject(subject_);
      d.setUpheld(upheld);
    });
  }
  Records& revocation(Timestamp t, int ground) {
    return add(t, [&](schema::Body::Builder b) {
      auto r = b.initRevocation();
      r.setSubject(subject_);
      r.setGround(static_cast<std::uint8_t>(ground));
      r.setPlaqueRecovered(true);
    });
  }
  Records& cancellation(Timestamp t, std::vector<std::uint16_t> years) {
    return add(t, [&](schema::Body::Builder b) {
      auto c = b.initCancellation();
      c.setSubject(subject_);
      auto y = c.initMissedYears(static_cast<unsigned>(years.size()));
      for (unsigned i = 0; i < years.size(); ++i) y.set(i, years[i]);
    });
  }

  // ---- Rural craftsmen ----
  Records& craftsmanApplication(Timestamp t, Tier tier, const char* field, const char* recommendedBy) {
    return add(t, [&](schema::Body::Builder b) {
      auto a = b.initCraftsmanApplication();
      a.setSubject(subject_);
      a.setLevel(Level::COUNTY);
      a.setTier(tier);
      a.setField(field);
      a.setYearsOfPractice(12);
      a.setRecommendedBy(recommendedBy);
      a.setReceivedAt(t);
    });
  }
  Records& craftsmanCertification(Timestamp t, Tier tier, const char* department) {
    return add(t, [&](schema::Body::Builder b) {
      auto c = b.initCraftsmanCertification();
      c.setSubject(subject_);
      c.setLevel(Level::COUNTY);
      c.setTier(tier);
      c.setDepartment(department);
    });
  }
  Records& craftsmanEvaluation(Timestamp t, ReviewOutcome outcome) {
    return add(t, [&](schema::Body::Builder b) {
      auto e = b.initCraftsmanEvaluation();
      e.setSubject(subject_);
      e.setOutcome(outcome);
    });
  }
  Records& promotion(Timestamp t, Tier from, Tier to, Level level = Level::PREFECTURE) {
    return add(t, [&](schema::Body::Builder b) {
      auto p = b.initCraftsmanPromotion();
      p.setSubject(subject_);
      p.setFrom(from);
      p.setTo(to);
      p.setLevel(level);
    });
  }
  Records& craftsmanExit(Timestamp t, const char* ground) {
    return add(t, [&](schema::Body::Builder b) {
      auto e = b.initCraftsmanExit();
      e.setSubject(subject_);
      e.setGround(ground);
    });
  }

  std::span<const schema::Decision::Reader> all() const { return readers_; }
  // upTo is the first n decisions: the subject as it stood before the (n+1)-th.
  std::span<const schema::Decision::Reader> upTo(std::size_t n) const { return all().first(n); }

 private:
  std::string origin_;
  std::string subject_;
  std::vector<std::unique_ptr<capnp::MallocMessageBuilder>> messages_;
  std::vector<schema::Decision::Reader> readers_;
};

}  // namespace hreg::rules::records
