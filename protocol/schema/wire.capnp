@0x9bfa047aac1517ea;
# The peer protocol between hreg-node processes (docs/protocol.md). Each message is one Frame,
# sent as a 4-byte big-endian length and the Cap'n Proto message (standard framing, unpacked),
# inside TLS 1.3 whose certificates carry the peers' chartered checkpoint keys.
#
# Either side may be a sender of some logs and a receiver of others: a child sends its own log and
# the logs of its subtree up; a parent sends its own log and its ancestors' logs down. Replication is
# pulled: the sender announces a checkpoint (Head); the receiver asks for entries it lacks (Fetch),
# one batch at a time, which is the back-pressure; the sender answers each Fetch with entries that
# end exactly at a checkpoint it holds (Entries); the receiver verifies and commits the batch
# atomically and, when it receives from below, answers with its cosignature (Cosigned).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("hreg::schema::wire");

const version :UInt32 = 1;

struct Frame {
  union {
    hello @0 :Hello;
    head @1 :Head;
    fetch @2 :Fetch;
    entries @3 :Entries;
    cosigned @4 :Cosigned;
    refused @5 :Refused;
    goodbye @6 :Goodbye;
    subjectQuery @7 :SubjectQuery;
    subjectAnswer @8 :SubjectAnswer;
  }
}

# Hello is each side's first frame: the protocol version it speaks and its log's origin, which must
# be the origin chartered for the key its certificate carries.
struct Hello {
  version @0 :UInt32;
  origin @1 :Text;
  software @2 :Text;  # e.g. "hreg-node 0.1.0", for operators' logs only
  heldOfYours @3 :UInt64;  # the size of the receiver's own log that the sender holds (0: none): a
                           # node whose store was lost or restored from a backup catches up its own
                           # log from its parent before it appends again (docs/operations.md)
}

# Head announces the newest checkpoint the sender holds of one log, as the log's own key signed it
# (a signed note), with the cosignature lines the sender holds on that checkpoint.
struct Head {
  checkpoint @0 :Text;
  cosignatures @1 :List(Text);
}

# Fetch asks for the entries of `origin` from index `from`, at most `limit` of them.
struct Fetch {
  origin @0 :Text;
  from @1 :UInt64;
  limit @2 :UInt32;
}

# Entries answers a Fetch: canonical entry bytes from index `from`, ending exactly at the size of
# `checkpoint` (a signed note the sender holds), with the cosignatures held on it.
struct Entries {
  origin @0 :Text;
  from @1 :UInt64;
  entries @2 :List(Data);
  checkpoint @3 :Text;
  cosignatures @4 :List(Text);
}

# Cosigned is the receiver's filing receipt: its cosignature line (tlog-cosignature) on the
# checkpoint of `origin` at `size` that it has verified and stored.
struct Cosigned {
  origin @0 :Text;
  size @1 :UInt64;
  cosignature @2 :Text;
}

# Refused says a Head or Entries of one log was not accepted, and why; the session goes on.
struct Refused {
  origin @0 :Text;
  reason @1 :Text;  # a reason name, e.g. "bad-signature"
  detail @2 :Text;
}

# Goodbye ends the session with its reason (the sender then closes the connection).
struct Goodbye {
  reason @0 :Text;
  detail @1 :Text;
}

# SubjectQuery asks the parent for the proof bundle of one workshop or craftsman: a lookup routed up
# the chain of parents to a node that holds the subject's logs, at worst the root's node, which holds
# every filed log (docs/protocol.md, "Lookups across regions"). Only a child sends it, and the parent
# answers each query once, by its `id`.
struct SubjectQuery {
  id @0 :UInt64;          # chosen by the asker, increasing on the session; the answer carries it back
  subject @1 :Text;       # the identifier, e.g. "140902001-W-0001" (at most 128 bytes)
  hops @2 :UInt8;         # how many more times it may be forwarded up; a node asked with 0 answers
                          # from what it holds or refuses limit-exceeded
  waitMillis @3 :UInt32;  # how long the asker waits for the answer; a forwarder waits less
}

# SubjectAnswer answers the SubjectQuery `id`. Whoever sends a bundle has checked it from the trust
# root (rules::checkSubject); whoever receives one checks it again before it uses or forwards it.
struct SubjectAnswer {
  id @0 :UInt64;
  route @1 :List(Text);   # the logs of the nodes the answer came through: the sender first, the node
                          # that made the bundle last
  union {
    bundle @2 :Data;      # the subject bundle, as JSON (docs/formats.md, "Subject bundles"; at most 8 MiB)
    notFound @3 :Void;    # no decision about the subject is held where it would be
    refused @4 :SubjectRefusal;  # no answer that holds: why, and where it failed
  }
  cachedBy @5 :Text;      # the log of the node whose cache served the bundle, or ""
  lags @6 :List(ReplicaLag);  # the replicas the bundle was made from that lag what was announced
  staleDetail @7 :Text;   # with lags: why the answer was made from them anyway
}

struct SubjectRefusal {
  reason @0 :Text;        # a reason name, e.g. "bad-signature", or "unavailable"
  detail @1 :Text;        # what failed, naming the node whose answer did not hold
}

# ReplicaLag is one replica behind what a peer announced of its log.
struct ReplicaLag {
  origin @0 :Text;
  held @1 :UInt64;        # entries held under the newest checkpoint held
  announced @2 :UInt64;   # the size the newest Head announced
  announcedAt @3 :Int64;  # when that Head came (the node's clock, UTC seconds; 0: unknown)
}
