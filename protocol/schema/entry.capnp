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
    # The rest of the registry's records (application, notice, certification, revocation, ...)
    # take the ordinals from @8 on.
  }
}
