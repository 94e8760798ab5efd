@0xbdfb7aa2e4012430;
# Policy, published by a level in its own log and inherited downward (docs/rules.md, "Policy").
# A policy entry lists settings by key; hreg knows every key, its type and which way is stricter
# (ledger/rules/settings.h). A level below may refine a setting; where a level above marked it
# mandatory, only in the stricter direction.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("hreg::schema");

using Records = import "records.capnp";

struct Policy {
  version @0 :UInt32;           # this node's policy versions count 1, 2, 3, ...
  effective @1 :Int64;          # UTC seconds: decisions dated from then on are judged under it
  settings @2 :List(Setting);
}

struct Setting {
  key @0 :Text;                 # e.g. "notice.working-days"
  mandatory @1 :Bool;           # levels below may make it stricter, never laxer
  value :union {
    integer @2 :Int64;
    texts @3 :List(Text);
    signingRule @4 :SigningRuleSetting;
    calendar @5 :List(CalendarYear);
  }
}

struct SigningRuleSetting {
  enum Signers {
    root @0;
    authority @1;
    officials @2;
  }
  signers @0 :Signers;
  levels @1 :List(Records.Level);   # the levels that make this kind of decision; empty: any
  departments @2 :List(Text);       # each must have a signer with `role`; "*record*": the record's own
  role @3 :Text;
}

struct CalendarYear {
  # One year of a working-day calendar layer: days off, and make-up working days (national only).
  year @0 :UInt16;
  holidays @1 :List(Text);          # "YYYY-MM-DD"
  workdays @2 :List(Text);          # "YYYY-MM-DD", Saturdays or Sundays
}
