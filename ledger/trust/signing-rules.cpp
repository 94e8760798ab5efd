#include "ledger/trust/signing-rules.h"

#include "protocol/core/result.h"

namespace hreg::trust {
namespace {

// The roles of the registry's records (docs/rules.md, "Records"). A rule names one role, which
// every department it lists must provide:
//   "clerk"    (经办) records what someone outside the office files: an application, an objection,
//              an appeal, a yearly confirmation. The filer is no official and holds no key; the
//              official who receives the writing records it, and the writing itself is kept by hash.
//   "reviewer" (审核) reviews, inspects, checks and organizes a panel.
//   "approver" (审批) makes a decision in the department's name: recommends, publishes a notice,
//              certifies, orders, revokes, answers an objection or an appeal.
//   "expert"   scores as a member of an expert panel (see EXPERT below).
constexpr const char* CLERK = "clerk";
constexpr const char* REVIEWER = "reviewer";
constexpr const char* APPROVER = "approver";

// Experts are no officials: they come from a talent pool (专家库), not from a department. An expert
// signs their own score with their own key, which the convening node's authority grants for the
// panel's sitting (Grant: person = the expert's pool id, department "expert", role "expert", valid
// from the draw to the conclusion), so the log shows which keys were experts, when, and who granted
// them. That the signer is a drawn, unrecused expert of this panel is the rules' check, not this one.
constexpr const char* EXPERT = "expert";

// addRegistryRules adds the default rule of every registry record kind from @8 on. Department ids
// follow docs/domain.md: culture, hrss, rural (乡村振兴; 农业农村 in 001), finance, market, land.
// Where seeds differ, the default is what every seed agrees on and a region's policy adds
// departments ("signing.<kind>"): e.g. 001 wants hrss and rural on a prefecture's certification.
void addRegistryRules(SigningRules& r) {
  using W = schema::Body::Which;
  using L = schema::Level;
  const std::vector<L> certifying = {L::COUNTY, L::PREFECTURE, L::PROVINCE};
  const std::vector<std::string> culture = {"culture"};
  // "会同本级人力资源和社会保障、农业农村部门" (001 art. 6(3), art. 10; 003 §2): the culture department
  // with HR&SS and rural revitalization of the same level.
  const std::vector<std::string> withHrssAndRural = {"culture", "hrss", "rural"};
  auto officials = [](std::vector<L> levels, std::vector<std::string> departments, const char* role) {
    return SigningRule{Signers::OFFICIALS, std::move(levels), std::move(departments), role};
  };

  // 申请: received at the township (000 §2(5)1) or at the county culture department (001 art. 6(1)).
  r.set(W::APPLICATION, officials({L::TOWNSHIP, L::COUNTY}, culture, CLERK));
  // 实地调查核实: in a higher level's review or its periodic checks (001 art. 6(2), 9(3)).
  r.set(W::SITE_INSPECTION, officials(certifying, culture, REVIEWER));
  // 联合评审结果: culture and the five departments of the county's joint review (000 §2(5)3).
  r.set(W::JOINT_REVIEW_RESULT,
        officials({L::COUNTY}, {"culture", "rural", "hrss", "finance", "market", "land"}, REVIEWER));
  // 推荐: "县（市）文化和旅游部门会同本级人力资源和社会保障、农业农村部门进行初审，并推荐" (001 art. 5);
  // a county recommends to its prefecture, a prefecture to its province.
  r.set(W::RECOMMENDATION, officials({L::COUNTY, L::PREFECTURE}, withHrssAndRural, APPROVER));
  // 专家库: the prefecture's and the autonomous region's pools (001 art. 6(2)), kept by culture.
  r.set(W::EXPERT_POOL, officials({L::PREFECTURE, L::PROVINCE}, culture, APPROVER));
  // 随机抽取 and 回避: organized by the culture department convening the panel (001 art. 6(2)). One
  // reviewer suffices: the draw is reproducible from its public seed, so a signer cannot pick it.
  r.set(W::PANEL_DRAW, officials({L::PREFECTURE}, culture, REVIEWER));
  r.set(W::RECUSAL, officials({L::PREFECTURE}, culture, REVIEWER));
  // 独立打分: the expert alone (see EXPERT).
  r.set(W::EXPERT_SCORE, officials({L::PREFECTURE}, {EXPERT}, EXPERT));
  // 集中合议: recorded by the three departments that review with the panel (001 art. 6(2)); the
  // experts may co-sign.
  r.set(W::PANEL_CONCLUSION, officials({L::PREFECTURE}, withHrssAndRural, REVIEWER));
  // 公示: by the culture department (000 §2(5)4; 001 art. 6(3)).
  r.set(W::NOTICE, officials(certifying, culture, APPROVER));
  // 异议: the objector holds no key; the culture official who receives the written objection
  // records it (001 art. 6(3): "向地区文化和旅游部门提出"). Its receipt time is what the window judges.
  r.set(W::OBJECTION, officials(certifying, culture, CLERK));
  // 异议核查意见: verified with HR&SS and rural of the same level (001 art. 6(3)).
  r.set(W::OBJECTION_RESOLUTION, officials(certifying, withHrssAndRural, APPROVER));
  // 认定 / 授牌: by culture (000 §2(5)5). 001 art. 6(4) (prefecture) and 003 §2 add hrss and rural:
  // those regions set it in their policy.
  r.set(W::CERTIFICATION, officials(certifying, culture, APPROVER));
  // 信息更新: received by the township (000 §2(5)7), the county (003 §2; 001 art. 9(1)) or, for a
  // prefecture-level workshop, the prefecture (001 art. 7(4)).
  r.set(W::CONFIRMATION, officials({L::TOWNSHIP, L::COUNTY, L::PREFECTURE}, culture, CLERK));
  // 绩效评估, 限期整改, 整改验收: led by culture (000 §4(2): "县文旅部门牵头会同相关部门"; 001 art. 9(4)).
  r.set(W::EVALUATION, officials(certifying, culture, APPROVER));
  r.set(W::RECTIFICATION_ORDER, officials(certifying, culture, APPROVER));
  r.set(W::RECTIFICATION_RESULT, officials(certifying, culture, REVIEWER));
  // 撤销命名, proposed and final, and the appeal's answer: "地区文化和旅游部门会同本级人力资源和社会保障、
  // 农业农村部门" (001 art. 10). The appeal is received like an objection.
  r.set(W::REVOCATION_PROPOSAL, officials(certifying, withHrssAndRural, APPROVER));
  r.set(W::APPEAL, officials(certifying, culture, CLERK));
  r.set(W::APPEAL_DECISION, officials(certifying, withHrssAndRural, APPROVER));
  r.set(W::REVOCATION, officials(certifying, withHrssAndRural, APPROVER));
  // 自动取消资格: automatic in law (003 §2), but someone records and publishes it: culture, which
  // holds the confirmations.
  r.set(W::CANCELLATION, officials(certifying, culture, APPROVER));
  // 纳入: "由文化和旅游部门会同扶贫部门加挂非遗扶贫就业工坊牌子" (002 §3(2)); the poverty alleviation
  // office is now rural revitalization.
  r.set(W::LEGACY_IMPORT, officials(certifying, {"culture", "rural"}, APPROVER));
  // 季报: the county's culture department reports each quarter (002 §5).
  r.set(W::QUARTERLY_REPORT, officials({L::COUNTY}, culture, APPROVER));
  // Rural craftsmen (004 §4(1)): rural revitalization organizes the certification ("具体组织、统筹
  // 实施...组织协调乡村工匠培育认定"); the field's department (education, industry, housing, agriculture
  // and animal husbandry, culture, women's federation) recommends and checks the qualification, which
  // it records as a JointReviewFinding. The field's department differs per craftsman, and a rule can
  // name "the record's department" only for a JointReviewFinding, so it does not co-sign by default.
  r.set(W::CRAFTSMAN_APPLICATION, officials(certifying, {"rural"}, CLERK));
  r.set(W::CRAFTSMAN_CERTIFICATION, officials(certifying, {"rural"}, APPROVER));
  r.set(W::CRAFTSMAN_EVALUATION, officials(certifying, {"rural"}, APPROVER));
  r.set(W::CRAFTSMAN_PROMOTION, officials(certifying, {"rural"}, APPROVER));
  r.set(W::CRAFTSMAN_EXIT, officials(certifying, {"rural"}, APPROVER));
}

}  // namespace

SigningRules SigningRules::defaults() {
  using W = schema::Body::Which;
  using L = schema::Level;
  SigningRules r;
  r.set(W::TRUST_ROOT, {Signers::ROOT, {}, {}, {}});
  r.set(W::CHARTER, {Signers::AUTHORITY, {}, {}, {}});
  r.set(W::CHARTER_REVOCATION, {Signers::AUTHORITY, {}, {}, {}});
  r.set(W::GRANT, {Signers::AUTHORITY, {}, {}, {}});
  r.set(W::GRANT_REVOCATION, {Signers::AUTHORITY, {}, {}, {}});
  // Policy is published by a level's leaders (its authority keys), in its own log.
  r.set(W::POLICY, {Signers::AUTHORITY, {}, {}, {}});
  // 乡镇初审: the township's culture and tourism reviewer (000 §2(5)).
  r.set(W::PRELIMINARY_REVIEW, {Signers::OFFICIALS, {L::TOWNSHIP}, {"culture"}, "reviewer"});
  // 联合评审: each department's finding is signed by a reviewer of that department (000 §2(5)).
  r.set(W::JOINT_REVIEW_FINDING, {Signers::OFFICIALS, {L::COUNTY}, {RECORD_DEPARTMENT}, "reviewer"});
  addRegistryRules(r);
  return r;
}

const SigningRule& SigningRules::ruleFor(schema::Body::Which kind) const {
  auto it = rules_.find(kind);
  if (it == rules_.end()) fail("no signing rule for a record kind; add it to SigningRules::defaults()");
  return it->second;
}

}  // namespace hreg::trust
