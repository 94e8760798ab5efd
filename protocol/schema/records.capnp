@0x92a8678563a9bfa8;
# Records of the trust and authority chain (docs/trust.md): the federation's trust root, node
# charters, and the grants of official keys. Keys are raw Ed25519 public keys (32 bytes).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("hreg::schema");

enum Level {
  national @0;
  province @1;
  prefecture @2;
  county @3;
  township @4;
}

struct TrustRoot {
  # The federation's root keys and how many of them must sign. Version 1 is the trust root file
  # (configs/); each later version is an entry of the root log, signed by the threshold of the
  # version before it.
  version @0 :UInt32;
  keys @1 :List(Data);
  threshold @2 :UInt8;
  origin @3 :Text;              # the root log's origin, e.g. "hreg.example/root"
  checkpointKey @4 :Data;       # the root log's checkpoint key
  validFrom @5 :Int64;          # UTC seconds
}

struct Charter {
  # A parent admits a child node: its identity, its online checkpoint key and its offline authority keys.
  code @0 :Text;                # division code, GB/T 2260: 2, 4, 6 or 9 digits
  level @1 :Level;
  name @2 :Text;                # e.g. "忻州市"
  origin @3 :Text;              # the child's log origin
  checkpointKey @4 :Data;       # signs checkpoints and cosignatures only, never a decision
  authorityKeys @5 :List(Data);
  authorityThreshold @6 :UInt8;
  validFrom @7 :Int64;          # UTC seconds
  validUntil @8 :Int64;         # UTC seconds; 0 means no end
}

struct CharterRevocation {
  code @0 :Text;
  effective @1 :Int64;
  reason @2 :Text;
}

struct Grant {
  # An office's authority admits an official's key.
  person @0 :Text;
  department @1 :Text;          # a department id from policy, e.g. "culture"
  roles @2 :List(Text);
  key @3 :Data;
  validFrom @4 :Int64;
  validUntil @5 :Int64;         # 0 means no end
}

struct GrantRevocation {
  key @0 :Data;
  effective @1 :Int64;          # signatures made at or after this time are invalid
  reason @2 :Text;
}
