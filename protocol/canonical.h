#pragma once
// The only code that makes bytes to be hashed or signed (docs/formats.md, "Entries").
// Entry bytes are capnp::canonicalize of an Entry; a leaf hash covers exactly them. Signatures cover
// DECISION_CONTEXT followed by the canonical bytes of the Decision, so a signature for one format
// version or one kind of object can never be replayed as another.
// Parsers accept only canonical input of bounded size: any other spelling is refused.
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <memory>
#include <string_view>

#include "protocol/core/bytes.h"
#include "protocol/core/result.h"
#include "protocol/schema/entry.capnp.h"

namespace hreg::protocol {

inline constexpr std::string_view DECISION_CONTEXT = "hreg/decision/v1\n";
inline constexpr std::size_t KEY_ID_BYTES = 32;     // an Ed25519 public key
inline constexpr std::size_t SIGNATURE_BYTES = 64;  // an Ed25519 signature

// SigningMessage is the byte string officials sign for a decision. Only signingMessage() makes one,
// so nothing signs arbitrary bytes by mistake.
class SigningMessage {
 public:
  ByteView bytes() const noexcept { return bytes_; }

 private:
  explicit SigningMessage(Bytes bytes) : bytes_(std::move(bytes)) {}
  friend SigningMessage signingMessage(schema::Decision::Reader decision);
  friend SigningMessage signingMessageOf(ByteView canonicalSignedDecision, schema::Decision::Reader decision);
  friend SigningMessage cutDecision(ByteView bytes, std::size_t signedAt, schema::Decision::Reader decision);
  Bytes bytes_;
};

// signingMessage is DECISION_CONTEXT || canonical(decision).
[[nodiscard]] SigningMessage signingMessage(schema::Decision::Reader decision);

// signingMessageOf is signingMessage(decision) for the decision inside a canonical SignedDecision,
// cut from its bytes instead of re-encoded: in canonical form the decision's words lie contiguous,
// in pre-order, with relative pointers, so canonical(Decision) is a new root pointer followed by
// them. Falls back to re-encoding when the layout is not that one. Requires: canonical bytes.
[[nodiscard]] SigningMessage signingMessageOf(ByteView canonicalSignedDecision, schema::Decision::Reader decision);
// signingMessageOfEntry is the same for the decision inside a canonical Entry (a log's leaf).
[[nodiscard]] SigningMessage signingMessageOfEntry(ByteView canonicalEntry, schema::Decision::Reader decision);

// canonicalBytes is capnp::canonicalize of any struct, as bytes.
template <class Reader>
[[nodiscard]] Bytes canonicalBytes(Reader reader) {
  auto words = capnp::canonicalize(reader);
  auto chars = words.asBytes();
  return Bytes(chars.begin(), chars.end());
}

// entryBytes is the leaf content of an entry: canonical(entry).
[[nodiscard]] inline Bytes entryBytes(schema::Entry::Reader entry) { return canonicalBytes(entry); }

// encodeEntry builds the Entry that puts `signedDecision` at `index` and returns its canonical bytes.
[[nodiscard]] Bytes encodeEntry(std::uint64_t index, std::int64_t sequencedAt,
                                schema::SignedDecision::Reader signedDecision);
// encodeEntryOf is encodeEntry for a decision given by its canonical SignedDecision bytes (a
// Parsed<SignedDecision>'s bytes()), assembled instead of re-encoded: canonical(Entry) is its root
// pointer, its data words (index, sequencedAt; trailing zero words dropped) and then the
// SignedDecision's canonical bytes unchanged, its root pointer serving as the Entry's pointer to it
// (both point at the word right after them). Falls back to encodeEntry when the bytes are not laid
// out so. Requires: canonical bytes whose message is `signedDecision`.
[[nodiscard]] Bytes encodeEntryOf(std::uint64_t index, std::int64_t sequencedAt, ByteView canonicalSignedDecision,
                                  schema::SignedDecision::Reader signedDecision);

// Parsed<T> holds a message read from untrusted bytes, and its canonical bytes.
template <class T>
class Parsed {
 public:
  typename T::Reader reader() const { return message_->template getRoot<T>(); }
  ByteView bytes() const noexcept { return bytes_; }

 private:
  template <class U>
  friend Result<Parsed<U>> parseCanonical(ByteView bytes, Reason malformed);
  kj::Array<capnp::word> words_;
  std::unique_ptr<capnp::FlatArrayMessageReader> message_;
  ByteView bytes_;
};

// parseCanonical reads a single-segment canonical message of type T. Refuses with `malformed`
// when the bytes are over limits::MAX_ENTRY_BYTES, not a valid message, or not canonical.
template <class T>
[[nodiscard]] Result<Parsed<T>> parseCanonical(ByteView bytes, Reason malformed);

// parseEntry reads a leaf and checks its shape: canonical, signatures present and of the right
// lengths, no more than limits::MAX_SIGNATURES. Refuses with MALFORMED_ENTRY, UNSIGNED_ENTRY,
// LIMIT_EXCEEDED.
[[nodiscard]] Result<Parsed<schema::Entry>> parseEntry(ByteView bytes);

// parseSignedDecision reads a decision file's payload with the same checks as parseEntry, except
// that it may carry no signature yet (a draft).
[[nodiscard]] Result<Parsed<schema::SignedDecision>> parseSignedDecision(ByteView bytes);

// checkSignatureShapes refuses signature lists that are too long or hold wrong-length fields.
[[nodiscard]] Result<void> checkSignatureShapes(capnp::List<schema::Signature>::Reader signatures);

}  // namespace hreg::protocol
