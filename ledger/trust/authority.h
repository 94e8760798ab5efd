#pragma once
// The authority view: who may sign what, computed from logs alone (docs/trust.md).
// Fed the trust root and then the trust records of a chain of logs (root rotations, charters, charter
// revocations, grants, grant revocations), it answers "is node N chartered at time T, by whom, with
// which keys?" and "was key K an official of department D with role R at node N at time T?", and it
// checks a decision's signers against the signing rule of its kind. Every answer depends only on the
// records fed in, so every node (and an auditor) holding the same records computes the same view.
// Signatures themselves are verified before this (log::checkDecision); this decides entitlement.
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/crypto/ed25519.h"
#include "ledger/log/admission.h"
#include "ledger/trust/signing-rules.h"
#include "protocol/core/clock.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::trust {

using crypto::PublicKey;

// levelName is the English name of a level, as docs and messages write it ("county").
[[nodiscard]] const char* levelName(schema::Level level);

// TrustAnchor is one version of the federation's trust root.
struct TrustAnchor {
  std::uint32_t version = 1;
  std::vector<PublicKey> keys;
  std::uint8_t threshold = 1;
  std::string origin;           // the root log, which charters the provinces
  PublicKey checkpointKey{};    // signs the root log's checkpoints
  Timestamp validFrom = 0;
};

// ChartedNode is one charter of a node (a replacement is a later charter of the same code).
struct ChartedNode {
  std::string code;             // GB/T 2260 division code: 2, 4, 6 or 9 digits
  schema::Level level = schema::Level::PROVINCE;
  std::string name;
  std::string origin;           // the node's log
  PublicKey checkpointKey{};
  std::vector<PublicKey> authorityKeys;
  std::uint8_t authorityThreshold = 1;
  Timestamp validFrom = 0;
  Timestamp validUntil = 0;     // 0: no end
  std::string charteredIn;      // origin of the log that holds the charter (the parent's)
  std::optional<Timestamp> revokedAt;
};

// OfficialGrant is one grant of an official's key at a node.
struct OfficialGrant {
  std::string origin;           // the node's log
  std::string person;
  std::string department;
  std::vector<std::string> roles;
  PublicKey key{};
  Timestamp validFrom = 0;
  Timestamp validUntil = 0;     // 0: no end
  std::optional<Timestamp> revokedAt;
  std::string revocationReason;
};

class AuthorityView final : public log::Admission {
 public:
  explicit AuthorityView(TrustAnchor root, SigningRules rules = SigningRules::defaults());

  // useRules makes `source` (policy) decide the signing rules from now on; nullptr: the table.
  // Requires: `source` outlives the view.
  void useRules(const RuleSource* source) noexcept { ruleSource_ = source; }

  // rootAt is the trust root version in force at `time`.
  [[nodiscard]] const TrustAnchor& rootAt(Timestamp time) const;
  // nodeAt is the charter in force for the node whose log is `origin` at `time`, if it and all its
  // ancestors are chartered then. The root log has no charter: see rootAt.
  [[nodiscard]] std::optional<ChartedNode> nodeAt(std::string_view origin, Timestamp time) const;
  // charteredBy is the log that holds the newest charter of the node whose log is `origin`, at any
  // time; nullopt for a log no charter names.
  [[nodiscard]] std::optional<std::string> charteredBy(std::string_view origin) const;
  // originsOnPath are the logs of every node ever chartered (revoked or replaced ones too) whose
  // division code `code` starts with: the nodes that may hold decisions about a subject whose home
  // code is `code` (its province, prefecture, county, township). In code order.
  [[nodiscard]] std::vector<std::string> originsOnPath(std::string_view code) const;
  // nodeWithCheckpointKey is the origin of the node chartered at `time` whose checkpoint key is
  // `key` (how a node recognises a peer by the key its TLS certificate carries).
  [[nodiscard]] std::optional<std::string> nodeWithCheckpointKey(const PublicKey& key, Timestamp time) const;
  // checkpointKeysOf is every checkpoint key the charters (or, for a root log, the trust root
  // versions) have named for `origin`, the newest first: checkpoints signed before a rotation
  // verify with the earlier ones.
  [[nodiscard]] std::vector<PublicKey> checkpointKeysOf(std::string_view origin) const;
  // officialAt answers "was `key` an official at the node of `origin` at `time`?", with the grant.
  // Refuses SIGNER_UNKNOWN (never granted there), SIGNER_REVOKED, SIGNER_EXPIRED, NOT_CHARTERED.
  [[nodiscard]] Result<OfficialGrant> officialAt(std::string_view origin, const PublicKey& key, Timestamp time) const;

  // officialsOf is every grant made at the node of `origin`, revoked and expired ones included, in
  // the order of their keys.
  [[nodiscard]] std::vector<OfficialGrant> officialsOf(std::string_view origin) const;
  // check decides whether the signers of `decision` may make it in the log `origin`, under the
  // signing rule of its kind, at the decision's time. A key whose revocation has been recorded
  // signs nothing more, whatever the decision's date (docs/trust.md, "Back-dating"). Refuses with the reason and names the key,
  // the rule and the time: NOT_CHARTERED, WRONG_LEVEL, NOT_A_CHILD, ROOT_VERSION, BELOW_THRESHOLD,
  // SIGNER_UNKNOWN, SIGNER_REVOKED, SIGNER_EXPIRED, WRONG_DEPARTMENT, WRONG_ROLE, CHECKPOINT_KEY_SIGNED.
  [[nodiscard]] Result<void> check(std::string_view origin, schema::SignedDecision::Reader decision) const;

  // record adds the effect of an accepted decision of the log `origin` (a rotation, a charter, a
  // grant, a revocation); other kinds change nothing here. Requires: check() accepted it.
  void record(std::string_view origin, schema::SignedDecision::Reader decision);

  // admit is check() and, when it accepts, record(): what a log asks before appending. The view
  // judges entitlement only; the decision's date against the node's clock is the rules' (policy.h).
  [[nodiscard]] Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision);
  [[nodiscard]] Result<void> admit(std::string_view origin, schema::SignedDecision::Reader decision,
                                   Timestamp sequencedAt) override;

 private:
  Result<void> checkThreshold(std::span<const PublicKey> keys, std::uint8_t threshold,
                              capnp::List<schema::Signature>::Reader signatures, std::string_view whose,
                              Timestamp time) const;
  Result<void> checkAuthority(std::string_view origin, capnp::List<schema::Signature>::Reader signatures,
                              Timestamp time) const;
  Result<void> checkOfficials(std::string_view origin, const SigningRule& rule, std::string_view department,
                              capnp::List<schema::Signature>::Reader signatures, Timestamp time) const;
  Result<void> checkCharter(std::string_view origin, schema::Charter::Reader charter, Timestamp time) const;
  bool isCheckpointKey(const PublicKey& key) const;

  std::vector<TrustAnchor> roots_;                          // by version, oldest first
  SigningRules rules_;
  const RuleSource* ruleSource_ = nullptr;
  std::map<std::string, std::vector<ChartedNode>, std::less<>> charters_;  // by node origin, in log order
  std::map<std::string, std::string, std::less<>> originOfCode_;
  std::map<std::string, std::set<std::string>, std::less<>> originsOfCode_;  // every origin ever chartered per code
  std::multimap<PublicKey, OfficialGrant> grants_;          // by official key
  std::set<PublicKey> checkpointKeys_;                      // every root's and charter's, revoked ones too
};

}  // namespace hreg::trust
