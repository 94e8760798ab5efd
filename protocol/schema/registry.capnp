@0xa73ad2f5cefe265d;
# The registry's own records (docs/rules.md). The first two steps of the workshop procedure are
# here so that trust can check who signs them; the rules issue adds the rest and their fields.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("hreg::schema");

enum ReviewOutcome {
  pass @0;
  reject @1;
}

struct PreliminaryReview {
  # 乡镇初审: the township checks the application's materials and inspects the site (000 §2(5)).
  subject @0 :Text;             # the workshop's identifier
  outcome @1 :ReviewOutcome;
  siteInspected @2 :Bool;
  reasons @3 :Text;
}

struct JointReviewFinding {
  # 联合评审: one department's finding in the county joint review (000 §2(5)).
  subject @0 :Text;
  department @1 :Text;          # a department id from policy; an official of it must sign
  outcome @2 :ReviewOutcome;
  notes @3 :Text;
}
