@0xa73ad2f5cefe265d;
# The registry's own records (docs/rules.md, "Records"): one struct per step of the procedures in
# docs/domain.md, for heritage workshops (非遗工坊) and rural craftsmen (乡村工匠). Each comment names
# the step, its Chinese term and the seed article it comes from (../seeds: 000 Xinzhou, 001 Tacheng,
# 002 Hunan, 003 national, 004 Xing'an League craftsmen). These are records only: which record may
# follow which, its deadlines and its minimum conditions are the rules (ledger/rules/).
#
# Conventions of every record here:
# - subject: the identifier of the workshop or craftsman a record is about, "<code>-<kind>-<serial>",
#   e.g. "140902-W-0001":
#     <code>    the GB/T 2260 division code of the node where the subject was registered, i.e. whose
#               log holds its first entry (its application, craftsman application or legacy import):
#               2, 4, 6 or 9 digits ("140902" a county, "140902001" a township);
#     <kind>    "W" a workshop 非遗工坊, "C" a rural craftsman 乡村工匠;
#     <serial>  decimal, at least 4 digits, zero-padded ("0001"), given by that node in order and
#               never reused.
#   Any node routes a lookup by the code. A subject keeps its identifier for life: when it is
#   recommended upward, certified at a higher level, revoked, or promoted.
# - Time: every time is an Int64 of UTC seconds, as Header.time (hreg's one convention). A civil
#   date with no time of day (a founding date) is the UTC second at which that day begins in
#   Beijing (rules::startOfDay, docs/rules.md "Working days"); a deadline is the UTC second at which
#   its last day ends (Calendar::deadlineAfter's endsAt): an act before it is in time. 0 means
#   "none" or "not known". Working days are counted by the rules from the Beijing date of a time.
# - Money: Int64 fen (分, 0.01 yuan). Areas: UInt32 in tenths of a square metre (605 is 60.5 m²),
#   so that a lease's 59.6 m² is never rounded up to a policy's 60 m² minimum. Counts: UInt32.
# - Departments, ICH categories, craft fields, document kinds, evaluation grades, exit grounds:
#   ids from policy (Text), e.g. "culture", "traditional-craft", "embroidery-dyeing". The ground of
#   a revocation is the number of 001 art. 10 (1–10). Enums only for sets no policy can change.
# - Documents are never in the log: a DocumentHash holds the SHA-256 of the document's bytes, and
#   the document stays in the archive of the node that received it (000 §2(5)6 建立档案).
# - Personal data (an ID number, an objector's name and contact) is sealed: a Data field holding
#   SHA-256(salt || UTF-8 value), with a random 16-byte salt kept beside the document in the
#   receiving node's archive. The log shows that the value was given and fixes it; revealing the
#   salt proves it to a level entitled to see it (docs/design.md, "Personal data").
# - An EntryRef points at the earlier entry a record answers or acts on. An EntryRef with an empty
#   origin means "none".
#
# Filing 备案 (000 §2(5)5, "上报省、市主管部门备案") is no record: a lower node's log is replicated to
# its parent, which verifies it and cosigns its checkpoint (C2SP tlog-cosignature). That
# cosignature is the filing receipt (docs/design.md, "The shape in one paragraph").

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("hreg::schema");

using Records = import "records.capnp";

# ---------------------------------------------------------------------------------------------
# Shared pieces

enum ReviewOutcome {
  pass @0;
  reject @1;
}

struct EntryRef {
  # An earlier entry of any log of the federation: its log, its index, and its leaf hash
  # (RFC 9162: SHA-256(0x00 || entry bytes)), so that the reference cannot be moved to another entry.
  origin @0 :Text;              # e.g. "hreg.example/140902"; empty: no entry
  index @1 :UInt64;
  leafHash @2 :Data;            # 32 bytes
}

struct CheckpointRef {
  # A checkpoint of a log (docs/formats.md): its origin, tree size and root hash.
  origin @0 :Text;
  treeSize @1 :UInt64;
  rootHash @2 :Data;            # 32 bytes
}

struct DocumentHash {
  # A supporting document kept in the archive, never in the log.
  kind @0 :Text;                # a document kind from policy, e.g. "lease", "land-certificate",
                                # "labour-contracts", "roster" (吸纳脱贫家庭劳动力就业花名册), "wage-records"
  sha256 @1 :Data;              # SHA-256 of the document's bytes, 32 bytes
}

struct IchItem {
  # An ICH representative item 非遗代表性项目 a workshop relies on.
  name @0 :Text;                # e.g. "忻州剪纸"
  category @1 :Text;            # ICH category id from policy, e.g. "traditional-craft" 传统技艺
  level @2 :Records.Level;      # the list it is on: national, province, prefecture or county
  code @3 :Text;                # its number on that list, e.g. "Ⅶ-16"; empty if it has none
}

struct Inheritor {
  # An inheritor or practitioner working in production (001 art. 4(5)).
  name @0 :Text;
  item @1 :Text;                # the item or craft practised
  union {
    representative @2 :Records.Level;   # a representative inheritor 代表性传承人 of this level
    practitioner @3 :Void;              # a practitioner 从业者 without that title
  }
}

struct Activity {
  # A training 技能培训 held, or a public-welfare activity 公益活动 taken part in (001 art. 4(4), 4(6)).
  heldAt @0 :Int64;
  title @1 :Text;
  participants @2 :UInt32;
  evidence @3 :Data;            # SHA-256 of the record of it (sign-in sheet, photos)
}

enum SalesChannel {
  online @0;                    # 线上
  offline @1;                   # 线下
}

struct SalesRecord {
  # Products shown and sold (001 art. 4(7)).
  channel @0 :SalesChannel;
  from @1 :Int64;               # the period covered
  until @2 :Int64;
  amount @3 :Int64;             # fen
  evidence @4 :Data;            # SHA-256 of the sales records
}

struct WorkshopFacts {
  # The registration information 登记信息 of a workshop (000 §2(4); 001 art. 6(1)): what an
  # application states, and what each yearly confirmation confirms or updates.
  name @0 :Text;
  address @1 :Text;
  founded @2 :Int64;                       # 成立时间: the UTC second the day began in Beijing
  mainBusiness @3 :Text;                   # 主营业务
  siteArea @4 :UInt32;                     # 场地面积, tenths of a m²
  legalRepresentative @5 :Text;            # 法人 or principal 主要负责人
  managers @6 :List(Text);                 # 主要管理人员
  creditCode @7 :Text;                     # 统一社会信用代码 (18 characters); empty for an unregistered production point
  items @8 :List(IchItem);                 # ICH items relied on
  crafts @9 :List(Text);                   # traditional crafts 传统手工艺 relied on that are no listed item
  inheritors @10 :List(Inheritor);
  employees @11 :UInt32;                   # 从业人员
  povertyAlleviatedEmployees @12 :UInt32;  # of them, 脱贫人口 and 监测帮扶对象
  figuresFrom @13 :Int64;                  # the period the money figures cover
  figuresUntil @14 :Int64;
  wagesPaid @15 :Int64;                    # 工资发放, fen, in that period
  revenue @16 :Int64;                      # 营业收入, fen, in that period
  trainings @17 :List(Activity);           # 技能培训 held
  welfareActivities @18 :List(Activity);   # 公益活动 taken part in
  sales @19 :List(SalesRecord);            # 线上线下展示销售
}

enum CraftsmanTier {
  craftsman @0;                 # 乡村工匠
  master @1;                    # 乡村工匠名师, chosen from craftsmen
  grandMaster @2;               # 乡村工匠大师, chosen from masters
}

# ---------------------------------------------------------------------------------------------
# Workshops: application and review

struct Application {
  # 申请: a workshop applies, voluntarily, with its facts and the hashes of its materials
  # (000 §2(4), §2(5)1; 001 art. 6(1)). The applicant is no official: the official who receives
  # the application records it; the signed application form is one of its documents.
  subject @0 :Text;
  level @1 :Records.Level;                 # the level of certification applied for
  facts @2 :WorkshopFacts;
  documents @3 :List(DocumentHash);        # 申报资料: form, lease or land certificate, contracts, roster, wages
  receivedAt @4 :Int64;                    # when the office received it
}

struct PreliminaryReview {
  # 乡镇初审: the township checks the application's materials and inspects the site
  # (实地考察核验) (000 §2(5)2).
  subject @0 :Text;
  outcome @1 :ReviewOutcome;
  siteInspected @2 :Bool;
  reasons @3 :Text;
  application @4 :EntryRef;                # the application reviewed
  inspectedAt @5 :Int64;                   # when the site was inspected; 0 if it was not
  inspectors @6 :List(Text);               # the officials who inspected it
  report @7 :Data;                         # SHA-256 of the inspection report and photos
}

struct SiteInspection {
  # 实地调查核实: a county, prefecture or province inspects a site, in its review
  # (001 art. 6(2)) or in its periodic checks (定期调查, 001 art. 9(3)).
  subject @0 :Text;
  about @1 :EntryRef;                      # the recommendation or certification it checks
  inspectedAt @2 :Int64;
  inspectors @3 :List(Text);
  outcome @4 :ReviewOutcome;
  findings @5 :Text;
  report @6 :Data;                         # SHA-256 of the inspection report and photos
}

struct JointReviewFinding {
  # 联合评审: one department's finding in a joint review (000 §2(5)3); also a field department's
  # qualification check of a craftsman (资格审核, 004 §4(1)).
  subject @0 :Text;
  department @1 :Text;          # a department id from policy; an official of it must sign
  outcome @2 :ReviewOutcome;
  notes @3 :Text;
  reviewed @4 :EntryRef;        # the preliminary review, recommendation or application reviewed
}

struct JointReviewResult {
  # 联合评审结果: the county's joint review concludes on the departments' findings; it passes only
  # if every required department's finding passed (000 §2(5)3).
  subject @0 :Text;
  outcome @1 :ReviewOutcome;
  findings @2 :List(EntryRef);  # the departments' findings it rests on
  reasons @3 :Text;
  minutes @4 :Data;             # SHA-256 of the review meeting's minutes 评审会议记录 (000 §2(5)6)
}

struct Recommendation {
  # 推荐: a level, having reviewed an applicant with its departments, recommends it to the level
  # above (逐级申报, 001 art. 5; 001 art. 3(2): normally already certified at this level).
  subject @0 :Text;
  level @1 :Records.Level;      # the level of certification recommended for
  basis @2 :List(EntryRef);     # this level's review and certification
  opinion @3 :Text;
  documents @4 :List(DocumentHash);
}

# ---------------------------------------------------------------------------------------------
# Workshops: the expert panel (001 art. 6(2))

struct Expert {
  # One expert of a pool: a senior title (副高以上职称) or years of relevant work (5 in 001).
  id @0 :Text;                  # unique in the pool, e.g. "6542-E-0017"
  name @1 :Text;
  employer @2 :Text;
  seniorTitle @3 :Text;         # the title held, e.g. "副研究馆员"; empty if none
  yearsOfWork @4 :UInt8;        # years of relevant work
  fields @5 :List(Text);        # ICH categories or craft fields, ids from policy
  qualification @6 :Data;       # SHA-256 of the certificates
}

struct ExpertPool {
  # 专家库 (相关领域专业人才库): a version of a level's expert pool, complete (each version lists every
  # expert). No subject: the pool is about experts. The autonomous region's and the prefecture's
  # pools are both drawn from (001 art. 6(2)).
  version @0 :UInt32;           # 1, 2, 3, ... per node
  name @1 :Text;                # e.g. "塔城地区非遗工坊评审专家库"
  experts @2 :List(Expert);
}

struct PoolVersion {
  pool @0 :EntryRef;            # the ExpertPool entry
  version @1 :UInt32;           # its version, repeated for readers
}

struct PanelDraw {
  # 随机抽取专家: the panel (at least 5, an odd number; policy panel.min-size) is drawn at random
  # from the pools (001 art. 6(2)). The draw is reproducible: the method applied to the seed and
  # the pool versions gives exactly `experts`. The seed is a checkpoint that did not exist when the
  # pools and subjects were fixed, so no one could choose it (the rules say which checkpoint counts).
  subjects @0 :List(Text);      # the applicants the panel reviews
  pools @1 :List(PoolVersion);
  seed @2 :CheckpointRef;       # the public seed: a log's origin, tree size and root hash
  method @3 :Text;              # the drawing algorithm: "hreg/panel-draw/v1" (ledger/rules/panel-draw.h)
  count @4 :UInt8;              # the number of experts drawn
  experts @5 :List(Text);       # the experts drawn, by pool id, in draw order
}

enum RecusalRequester {
  expert @0;                    # the expert withdraws (主动回避)
  applicant @1;                 # on the applicant's written request (书面申请回避)
}

struct Recusal {
  # 回避: an expert with a conflict of interest withdraws, or the applicant asks in writing for an
  # expert to withdraw; a withdrawal is replaced by a redraw (001 art. 6(2); 004 §4(3)).
  subject @0 :Text;
  draw @1 :EntryRef;            # the panel draw
  expert @2 :Text;
  requestedBy @3 :RecusalRequester;
  reason @4 :Text;
  request @5 :Data;             # SHA-256 of the written request or declaration
  granted @6 :Bool;             # an applicant's request may be refused; an expert's withdrawal is granted
  answer @7 :Text;              # why a request was refused
  replacement @8 :Text;         # the expert drawn instead; empty when not granted
  redrawSeed @9 :CheckpointRef; # the seed of the redraw, drawn by the draw's method
}

struct CriterionScore {
  criterion @0 :Text;           # a criterion id from policy, e.g. "transmission", "employment"
  points @1 :UInt16;            # tenths of a point: 185 is 18.5
}

struct ExpertScore {
  # 独立打分: one expert's own score of one applicant, signed by the expert (001 art. 6(2)).
  subject @0 :Text;
  draw @1 :EntryRef;
  expert @2 :Text;              # the expert's pool id
  criteria @3 :List(CriterionScore);
  total @4 :UInt16;             # tenths of a point
  opinion @5 :Text;
  sheet @6 :Data;               # SHA-256 of the signed score sheet
}

struct PanelConclusion {
  # 集中合议: the panel deliberates on the independent scores and concludes (001 art. 6(2)).
  subject @0 :Text;
  draw @1 :EntryRef;
  scores @2 :List(EntryRef);    # every panel member's ExpertScore
  averageScore @3 :UInt16;      # tenths of a point
  votesFor @4 :UInt8;
  votesAgainst @5 :UInt8;
  outcome @6 :ReviewOutcome;
  opinion @7 :Text;
  minutes @8 :Data;             # SHA-256 of the deliberation's minutes (评审全程留痕)
}

# ---------------------------------------------------------------------------------------------
# Workshops: public notice, objection, certification

struct Notice {
  # 公示: the proposed list is published for 5 working days (policy notice.working-days)
  # (000 §2(5)4; 001 art. 6(3)).
  subjects @0 :List(Text);      # the subjects proposed, in the published order
  level @1 :Records.Level;      # the level of certification proposed
  publishedAt @2 :Int64;        # the notice's start: when the list went up
  url @3 :Text;                 # the government portal page 政府门户网站
  basis @4 :List(EntryRef);     # the joint review results or panel conclusions it rests on
  text @5 :Data;                # SHA-256 of the published notice
}

struct Objection {
  # 异议: during the notice, anyone may object in writing, with real name, contact, reasons and
  # evidence (001 art. 6(3)). The objector is no official: the official who receives the written
  # objection records it; the objector's name and contact are sealed (personal data).
  subject @0 :Text;
  notice @1 :EntryRef;
  receivedAt @2 :Int64;         # when the written objection was received: within the notice
  realName @3 :Data;            # sealed 实名 of the person or unit
  contact @4 :Data;             # sealed 联系方式
  reasons @5 :Text;             # 具体异议理由
  evidence @6 :List(DocumentHash);   # 佐证材料
  letter @7 :Data;              # SHA-256 of the written objection
}

struct ObjectionResolution {
  # 异议核查意见: the authority verifies the objection within 5 working days with HR&SS and rural of
  # the same level and answers the objector (001 art. 6(3)). Upheld: the subject loses its
  # proposed certification.
  subject @0 :Text;
  objection @1 :EntryRef;
  upheld @2 :Bool;              # 异议成立
  answer @3 :Text;              # the verification opinion sent to the objector
  report @4 :Data;              # SHA-256 of the written opinion
}

struct Certification {
  # 认定 / 授牌: the workshop is certified and receives its plaque (000 §2(5)5; 001 art. 6(4)).
  subject @0 :Text;
  level @1 :Records.Level;
  name @2 :Text;                # the name as certified
  plaque @3 :Text;              # the plaque (牌匾) number
  notice @4 :EntryRef;          # the notice it followed
  basis @5 :List(EntryRef);     # the objection resolutions, if any
  url @6 :Text;                 # where the certification was published (确认公布)
}

# ---------------------------------------------------------------------------------------------
# Workshops: after certification

struct Confirmation {
  # 信息更新: each year by year-end the workshop confirms or updates its registration information
  # (000 §2(5)7; 001 art. 7(4), 9(1); 003 §2). Recorded by the official who receives it.
  subject @0 :Text;
  year @1 :UInt16;              # the year confirmed
  certification @2 :EntryRef;
  changed @3 :Bool;             # false: confirmed unchanged
  facts @4 :WorkshopFacts;      # the information as confirmed or updated, complete
  documents @5 :List(DocumentHash);
}

struct CriterionFinding {
  criterion @0 :Text;           # a criterion id from policy, e.g. "transmission", "employment", "funds", "quality-ip"
  outcome @1 :ReviewOutcome;
  finding @2 :Text;
}

struct Evaluation {
  # 绩效评估: every 2 years (policy evaluation.cycle-years): transmission activities, jobs for
  # poverty-alleviated people, lawful use of funds, product quality and IP (000 §4(2); 001 art. 9(4)).
  # Also a craftsman's evaluation 监测评估 (004 §4(3)), as the body kind craftsmanEvaluation.
  subject @0 :Text;
  certification @1 :EntryRef;
  from @2 :Int64;               # the period evaluated
  until @3 :Int64;
  grade @4 :Text;               # a grade id from policy, e.g. "outstanding", "qualified", "poor"
  outcome @5 :ReviewOutcome;    # reject: rectification within a deadline follows
  commended @6 :Bool;           # 通报表扬 and priority support
  criteria @7 :List(CriterionFinding);
  report @8 :Data;              # SHA-256 of the evaluation report
}

struct RectificationOrder {
  # 限期整改: rectification ordered within a deadline, after a poor evaluation (000 §4(2); 001 art. 9(4)).
  subject @0 :Text;
  cause @1 :EntryRef;           # the evaluation (or inspection) that calls for it
  deadline @2 :Int64;           # the end of the last day allowed
  requirements @3 :Text;
}

struct RectificationResult {
  # 整改验收: whether the rectification was achieved by its deadline; not achieved is revocation
  # ground 9 (000 §4(2); 001 art. 9(4), art. 10(9)).
  subject @0 :Text;
  order @1 :EntryRef;
  checkedAt @2 :Int64;
  outcome @3 :ReviewOutcome;    # pass: achieved
  findings @4 :Text;
  report @5 :Data;
}

# ---------------------------------------------------------------------------------------------
# Workshops: revocation, appeal, cancellation

struct RevocationProposal {
  # 拟撤销命名: a revocation is proposed on one of the ten grounds and notified in writing; the
  # workshop may appeal within 5 working days of receiving the notice (001 art. 10; 000 §4(2)).
  subject @0 :Text;
  certification @1 :EntryRef;
  ground @2 :UInt8;             # 1–10, the grounds of 001 art. 10 (docs/domain.md)
  reasons @3 :Text;             # the facts that meet the ground
  basis @4 :List(EntryRef);     # e.g. the failed rectification result (ground 9)
  evidence @5 :List(DocumentHash);
  servedAt @6 :Int64;           # when the written notice 书面告知 was received; the appeal window counts from it
}

struct Appeal {
  # 申诉: the workshop appeals a proposed revocation in writing, with real name, contact, reasons
  # and evidence (001 art. 10). Recorded by the official who receives it.
  subject @0 :Text;
  proposal @1 :EntryRef;
  receivedAt @2 :Int64;
  contact @3 :Data;             # sealed 联系方式 of the workshop's contact person
  reasons @4 :Text;
  evidence @5 :List(DocumentHash);
  letter @6 :Data;              # SHA-256 of the written appeal
}

struct AppealDecision {
  # 申诉复核意见: the authority re-examines within 10 working days with HR&SS and agriculture of the
  # same level and answers in writing (001 art. 10). Upheld: the proposal is withdrawn.
  subject @0 :Text;
  appeal @1 :EntryRef;
  upheld @2 :Bool;              # 异议成立
  answer @3 :Text;
  report @4 :Data;              # SHA-256 of the written opinion
}

struct Revocation {
  # 撤销命名: the revocation becomes final when the appeal window closes without an appeal or the
  # appeal fails; the plaque is recovered, the revocation published, and the workshop may not apply
  # again for 3 years from its time (policy reapplication-ban.years) (001 art. 10; 000 §4(2)).
  subject @0 :Text;
  proposal @1 :EntryRef;
  appealDecision @2 :EntryRef;  # empty origin when no appeal was made in time
  ground @3 :UInt8;             # the proposal's ground, 1–10
  plaqueRecovered @4 :Bool;     # 收回牌匾
  url @5 :Text;                 # where it was published
}

struct Cancellation {
  # 自动取消资格: two consecutive years without confirmation cancel the certification
  # (policy confirmation.missed-years-to-cancel) (003 §2; 001 art. 9(1), art. 10(7); 000 §4(2)).
  subject @0 :Text;
  certification @1 :EntryRef;
  missedYears @2 :List(UInt16); # the years without a confirmation
  lastConfirmation @3 :EntryRef;  # empty origin when there was none
  url @4 :Text;                 # where it was published
}

# ---------------------------------------------------------------------------------------------
# Workshops: legacy and reporting

struct LegacyImport {
  # 纳入: an existing poverty-alleviation employment workshop (非遗扶贫就业工坊) is brought into the
  # scheme by a decision, not re-applied for (001 art. 3(3); 000 §3(1); 002 §3(2); 003 §2).
  subject @0 :Text;
  level @1 :Records.Level;
  formerName @2 :Text;          # its name as a 非遗扶贫就业工坊
  formerRegistration @3 :Text;  # where it was registered, e.g. 湖南省劳务协作脱贫综合信息服务平台 and its number
  decision @4 :Text;            # the decision's document number, e.g. "湘文旅非遗〔2020〕27号"
  facts @5 :WorkshopFacts;
  documents @6 :List(DocumentHash);
  plaque @7 :Text;              # the plaque number, if a plaque is given
}

struct QuarterlyFigures {
  subject @0 :Text;
  jobs @1 :UInt32;                         # 带动就业人数
  povertyAlleviatedWorkers @2 :UInt32;     # of them, 脱贫人口 and 监测帮扶对象
  revenue @3 :Int64;                       # the workshop's income in the quarter, fen
  wagesPaid @4 :Int64;                     # the workers' income from it in the quarter, fen
}

struct QuarterlyReport {
  # 季报: within 5 working days after each quarter (policy quarterly-report.working-days), a region
  # reports one row per workshop (002 §5 季度信息表); the province aggregates by region.
  year @0 :UInt16;
  quarter @1 :UInt8;            # 1–4
  rows @2 :List(QuarterlyFigures);
}

# ---------------------------------------------------------------------------------------------
# Rural craftsmen (004)

struct CraftsmanApplication {
  # 乡村工匠推荐申报: a person at least 5 years in a traditional craft, recommended by the department
  # of the craft's field (组织推荐), applies for a tier (004 §2(1), §2(2), §4(1)). Recorded by the
  # official who receives it; the ID number is sealed.
  subject @0 :Text;             # "…-C-…"
  level @1 :Records.Level;
  tier @2 :CraftsmanTier;       # the tier applied for
  name @3 :Text;
  identity @4 :Data;            # sealed ID card number
  birthYear @5 :UInt16;
  township @6 :Text;            # the division code of the township where the craftsman works
  field @7 :Text;               # one of 004's twelve fields, or a county's own: an id from policy,
                                # e.g. "embroidery-dyeing" 刺绣印染
  craft @8 :Text;               # the craft itself, e.g. "蒙古族刺绣"
  yearsOfPractice @9 :UInt8;
  employmentDriven @10 :UInt32; # people employed or driven to work (带动就业)
  enterprise @11 :Text;         # the enterprise led or founded (领办创办), by credit code; empty if none
  titles @12 :List(Text);       # titles and honours: inheritor, skill certificates, prizes
  recommendedBy @13 :Text;      # the field's department, a department id from policy
  documents @14 :List(DocumentHash);
  receivedAt @15 :Int64;
}

struct CraftsmanCertification {
  # 乡村工匠认定: rural revitalization organizes the certification; the field's department checks the
  # qualification (its JointReviewFinding) and selects (004 §4(1); §3(1) 目录清单).
  subject @0 :Text;
  application @1 :EntryRef;
  level @2 :Records.Level;
  tier @3 :CraftsmanTier;
  field @4 :Text;
  department @5 :Text;          # the field's department (资格审核), a department id from policy
  certificate @6 :Text;         # the certificate number
  basis @7 :List(EntryRef);     # the field department's finding, and any panel conclusion
}

struct CraftsmanPromotion {
  # 评优晋级: a craftsman is chosen as master 名师, a master as grand master 大师 (004 §2(2), §4(3)).
  subject @0 :Text;
  certification @1 :EntryRef;   # the certification or promotion of the current tier
  from @2 :CraftsmanTier;
  to @3 :CraftsmanTier;
  level @4 :Records.Level;
  basis @5 :List(EntryRef);     # evaluations, panel conclusions
  reasons @6 :Text;
  certificate @7 :Text;
}

struct CraftsmanExit {
  # 清理退出: serious violations, fraud, or no longer practising or driving employment (004 §4(3)).
  subject @0 :Text;
  certification @1 :EntryRef;
  ground @2 :Text;              # a ground id from policy, e.g. "violation", "fraud", "inactive"
  reasons @3 :Text;
  evidence @4 :List(DocumentHash);
}
