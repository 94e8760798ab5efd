#include "ledger/rules/consequence-draft.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include <capnp/message.h>

#include "ledger/log/signing.h"
#include "ledger/rules/date.h"
#include "ledger/rules/subject.h"
#include "protocol/canonical.h"

namespace hreg::rules {
namespace {

using Which = schema::Body::Which;

// latest is the position of the last decision of one of `kinds` from `from` on, if any.
std::optional<std::size_t> latest(std::span<const HeldDecision> decisions, std::initializer_list<Which> kinds,
                                  std::size_t from = 0) {
  std::optional<std::size_t> found;
  for (std::size_t i = from; i < decisions.size(); ++i)
    if (std::find(kinds.begin(), kinds.end(), decisions[i].decision.getBody().which()) != kinds.end()) found = i;
  return found;
}

void setRef(schema::EntryRef::Builder ref, const HeldDecision& held) {
  ref.setOrigin(held.origin);
  ref.setIndex(held.index);
  ref.setLeafHash(capnp::Data::Reader(held.leafHash.data(), held.leafHash.size()));
}

// fillRevocation makes the proposal at `proposal` final: its ground, no appeal decision (none came
// in time), the plaque's recovery and the publication left to the officials.
void fillRevocation(schema::Body::Builder body, std::string_view subject, const HeldDecision& proposal) {
  auto revocation = body.initRevocation();
  revocation.setSubject(std::string(subject));
  setRef(revocation.initProposal(), proposal);
  revocation.setGround(proposal.decision.getBody().getRevocationProposal().getGround());
}

// lastConfirmation is the confirmation after the certification at `certification` that confirmed the
// latest year (status() counts the years from it), if any.
std::optional<std::size_t> lastConfirmation(std::span<const HeldDecision> decisions, std::size_t certification) {
  std::optional<std::size_t> found;
  int year = 0;
  for (std::size_t i = certification + 1; i < decisions.size(); ++i) {
    auto body = decisions[i].decision.getBody();
    if (!body.isConfirmation() || body.getConfirmation().getYear() < year) continue;
    year = body.getConfirmation().getYear();
    found = i;
  }
  return found;
}

// fillCancellation cancels the certification at `certification`: the years missed are those after the
// later of its year and the last year confirmed, up to the year before the cancellation took effect.
void fillCancellation(schema::Body::Builder body, std::string_view subject, std::span<const HeldDecision> decisions,
                      std::size_t certification, Timestamp cancelledAt) {
  auto cancellation = body.initCancellation();
  cancellation.setSubject(std::string(subject));
  setRef(cancellation.initCertification(), decisions[certification]);
  int lastYear = dateOf(decisions[certification].decision.getHeader().getTime()).year;
  if (auto confirmed = lastConfirmation(decisions, certification)) {
    setRef(cancellation.initLastConfirmation(), decisions[*confirmed]);
    lastYear = std::max<int>(lastYear, decisions[*confirmed].decision.getBody().getConfirmation().getYear());
  }
  const int firstMissed = lastYear + 1, endYear = dateOf(cancelledAt).year;
  auto years = cancellation.initMissedYears(static_cast<unsigned>(std::max(0, endYear - firstMissed)));
  for (int y = firstMissed; y < endYear; ++y) years.set(static_cast<unsigned>(y - firstMissed), static_cast<std::uint16_t>(y));
}


}  // namespace

Result<ConsequenceDraft> draftConsequence(std::string_view subject, const Derived& derived,
                                          std::span<const HeldDecision> decisions, Timestamp time) {
  if (!derived.record)
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("{} of {} asks for no record: there is nothing to draft",
                                                       derived.what, subject));
  switch (*derived.record) {
    case Which::REVOCATION: {
      auto proposal = latest(decisions, {Which::REVOCATION_PROPOSAL});
      if (!proposal)
        return refuse(Reason::PREREQUISITE_MISSING,
                      fmt::format("no revocation proposal of {} is held here to make final", subject));
      const HeldDecision& held = decisions[*proposal];
      return ConsequenceDraft{held.origin, Which::REVOCATION, log::signedDecision(held.origin, time, [&](schema::Body::Builder b) {
                                fillRevocation(b, subject, held);
                              }, {})};
    }
    case Which::CANCELLATION: {
      auto certification = latest(decisions, {Which::CERTIFICATION, Which::LEGACY_IMPORT});
      if (!certification)
        return refuse(Reason::PREREQUISITE_MISSING, fmt::format("no certification of {} is held here to cancel", subject));
      const std::string& origin = decisions[*certification].origin;
      return ConsequenceDraft{origin, Which::CANCELLATION, log::signedDecision(origin, time, [&](schema::Body::Builder b) {
                                fillCancellation(b, subject, decisions, *certification, derived.at);
                              }, {})};
    }
    default:
      return refuse(Reason::MALFORMED_ENTRY, fmt::format("hreg cannot draft a {} for {}: draft it with `hreg draft`",
                                                         kindName(*derived.record), subject));
  }
}

}  // namespace hreg::rules
