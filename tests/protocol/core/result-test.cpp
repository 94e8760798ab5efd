#include "protocol/core/result.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace hreg {
namespace {

constexpr Reason ALL_REASONS[] = {
    Reason::MALFORMED_ENTRY,      Reason::MALFORMED_NOTE,          Reason::MALFORMED_CHECKPOINT,
    Reason::MALFORMED_COSIGNATURE, Reason::MALFORMED_KEY,          Reason::MALFORMED_PROOF,
    Reason::MALFORMED_HEX,        Reason::BAD_SIGNATURE,           Reason::UNKNOWN_KEY,
    Reason::NO_TRUSTED_SIGNATURE, Reason::WRONG_ORIGIN,            Reason::WRONG_INDEX,
    Reason::INDEX_OUT_OF_RANGE,   Reason::ROOT_MISMATCH,           Reason::PROOF_WRONG_LENGTH,
    Reason::INCONSISTENT_CHECKPOINT, Reason::DUPLICATE_DECISION,   Reason::UNSIGNED_ENTRY,
    Reason::CHECKPOINT_KEY_SIGNED, Reason::STORE_CORRUPT,          Reason::LIMIT_EXCEEDED,
    Reason::SIGNER_UNKNOWN,        Reason::SIGNER_REVOKED,         Reason::SIGNER_EXPIRED,
    Reason::WRONG_DEPARTMENT,      Reason::WRONG_ROLE,             Reason::BELOW_THRESHOLD,
    Reason::NOT_CHARTERED,         Reason::NOT_A_CHILD,            Reason::WRONG_LEVEL,
    Reason::ROOT_VERSION,          Reason::MALFORMED_FILE,         Reason::UNKNOWN_SETTING,
    Reason::POLICY_RELAXED,        Reason::POLICY_VERSION,         Reason::DECISION_TIME,
    Reason::PANEL_SIZE,            Reason::POOL_TOO_SMALL,          Reason::WRONG_STAGE,
    Reason::WINDOW_CLOSED,         Reason::WINDOW_OPEN,             Reason::PREREQUISITE_MISSING,
    Reason::OBJECTION_UPHELD,      Reason::OBJECTION_PENDING,       Reason::REAPPLICATION_BANNED,
    Reason::DEPARTMENT_NOT_PASSED,
    Reason::EQUIVOCATION,
    Reason::LOG_FROZEN,
    Reason::UNEXPECTED_LOG,
    Reason::PROTOCOL_ERROR,
    Reason::NODE_NOT_READY,
    Reason::SUBJECT_MISMATCH,
    Reason::WRONG_PASSPHRASE,
    Reason::NOT_ON_PANEL,
    Reason::DRAW_MISMATCH,
    Reason::MAP_MISMATCH,
    Reason::INCOMPLETE,
    Reason::OUT_OF_JURISDICTION,
    Reason::CONDITION_NOT_MET,
    Reason::EXPERT_UNQUALIFIED,
};

TEST(ReasonName, IsAStableKebabCaseStringDistinctForEveryReason) {
  EXPECT_EQ(reasonName(Reason::BAD_SIGNATURE), "bad-signature");
  EXPECT_EQ(reasonName(Reason::ROOT_MISMATCH), "root-mismatch");
  std::set<std::string> names;
  for (Reason r : ALL_REASONS) {
    std::string name(reasonName(r));
    EXPECT_NE(name, "unknown-reason");
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-"), std::string::npos) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), std::size(ALL_REASONS));
}

Result<int> half(int n) {
  if (n % 2 != 0) return refuse(Reason::MALFORMED_HEX, "odd");
  return n / 2;
}

Result<int> quarter(int n) {
  HREG_TRY(h, half(n));
  return half(h);
}

TEST(Result, TryPassesValuesOnAndReturnsTheFirstRefusal) {
  ASSERT_TRUE(quarter(8).has_value());
  EXPECT_EQ(quarter(8).value(), 2);
  ASSERT_TRUE(quarter(6).has_error());
  EXPECT_EQ(quarter(6).error().reason, Reason::MALFORMED_HEX);
}

TEST(Fault, CarriesItsKind) {
  try {
    fail("disk full");
    FAIL() << "fail() returned";
  } catch (const Fault& fault) {
    EXPECT_EQ(fault.kind(), Fault::Kind::FAILED);
  }
}

}  // namespace
}  // namespace hreg
