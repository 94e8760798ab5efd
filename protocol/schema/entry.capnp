@0x8813c3bb41f8081f;
# The entries of an office's log (docs/formats.md, "Entries").
# A leaf of the Merkle tree is the canonical encoding (capnp::canonicalize) of one Entry.
# Officials sign a Decision; the node that appends it adds the index and its own clock reading.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("hreg::schema");

using Records = import "records.capnp";
using Registry = import "registry.capnp";
using PolicyRecords = import "policy.capnp";

struct Entry {
  # One leaf of a log. Everything in it is covered by the leaf hash.
  index @0 :UInt64;             # position in the log, assigned by the appending node
  sequencedAt @1 :Int64;        # the appending node's clock, UTC seconds
  signed @2 :SignedDecision;
}

struct SignedDecision {
  # What passes between officials while they co-sign, and what they submit to their node.
  decision @0 :Decision;
  signatures @1 :List(Signature);
}

struct Decision {
  # Signatures cover "hreg/decision/v1\n" followed by the canonical encoding of this struct.
  header @0 :Header;
  body @1 :Body;
}

struct Header {
  origin @0 :Text;              # the log the decision is for, e.g. "hreg.example/140902"
  time @1 :Int64;               # when it was decided, UTC seconds; authority is judged at this time
}

struct Signature {
  keyId @0 :Data;               # the signer's Ed25519 public key, 32 bytes
  signature @1 :Data;           # Ed25519 signature, 64 bytes
}

struct Body {
  union {
    trustRoot @0 :Records.TrustRoot;
    charter @1 :Records.Charter;
    charterRevocation @2 :Records.CharterRevocation;
    grant @3 :Records.Grant;
    grantRevocation @4 :Records.GrantRevocation;
    preliminaryReview @5 :Registry.PreliminaryReview;
    jointReviewFinding @6 :Registry.JointReviewFinding;
    policy @7 :PolicyRecords.Policy;
    # The rest of the registry's records (registry.capnp, docs/rules.md "Records"). Filing 备案 is
    # no record: the parent's cosignature of a replicated checkpoint is the filing receipt.
    application @8 :Registry.Application;                  # 申请
    siteInspection @9 :Registry.SiteInspection;            # 实地调查核实
    jointReviewResult @10 :Registry.JointReviewResult;     # 联合评审结果
    recommendation @11 :Registry.Recommendation;           # 推荐
    expertPool @12 :Registry.ExpertPool;                   # 专家库
    panelDraw @13 :Registry.PanelDraw;                     # 随机抽取专家
    recusal @14 :Registry.Recusal;                         # 回避
    expertScore @15 :Registry.ExpertScore;                 # 独立打分
    panelConclusion @16 :Registry.PanelConclusion;         # 集中合议
    notice @17 :Registry.Notice;                           # 公示
    objection @18 :Registry.Objection;                     # 异议
    objectionResolution @19 :Registry.ObjectionResolution; # 异议核查意见
    certification @20 :Registry.Certification;             # 认定 / 授牌
    confirmation @21 :Registry.Confirmation;               # 信息更新
    evaluation @22 :Registry.Evaluation;                   # 绩效评估
    rectificationOrder @23 :Registry.RectificationOrder;   # 限期整改
    rectificationResult @24 :Registry.RectificationResult; # 整改验收
    revocationProposal @25 :Registry.RevocationProposal;   # 拟撤销命名
    appeal @26 :Registry.Appeal;                           # 申诉
    appealDecision @27 :Registry.AppealDecision;           # 申诉复核意见
    revocation @28 :Registry.Revocation;                   # 撤销命名
    cancellation @29 :Registry.Cancellation;               # 自动取消资格
    legacyImport @30 :Registry.LegacyImport;               # 非遗扶贫就业工坊纳入
    quarterlyReport @31 :Registry.QuarterlyReport;         # 季报
    craftsmanApplication @32 :Registry.CraftsmanApplication;     # 乡村工匠推荐申报
    craftsmanCertification @33 :Registry.CraftsmanCertification; # 乡村工匠认定
    craftsmanEvaluation @34 :Registry.Evaluation;                # 乡村工匠监测评估
    craftsmanPromotion @35 :Registry.CraftsmanPromotion;         # 名师 / 大师 评优晋级
    craftsmanExit @36 :Registry.CraftsmanExit;                   # 清理退出
  }
}
