#include "protocol/canonical.h"

#include <fmt/format.h>
#include <kj/exception.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "protocol/limits.h"

namespace hreg::protocol {

SigningMessage signingMessage(schema::Decision::Reader decision) {
  auto words = capnp::canonicalize(decision);
  auto chars = words.asBytes();
  Bytes out;
  out.reserve(DECISION_CONTEXT.size() + chars.size());
  out.insert(out.end(), DECISION_CONTEXT.begin(), DECISION_CONTEXT.end());
  out.insert(out.end(), chars.begin(), chars.end());
  return SigningMessage(std::move(out));
}

namespace {

std::uint64_t wordAt(ByteView bytes, std::size_t index) {
  std::uint64_t w = 0;
  for (int i = 7; i >= 0; --i) w = w << 8 | bytes[index * 8 + static_cast<std::size_t>(i)];
  return w;
}

// pointerTarget is the word a struct or list pointer at `at` points to, or nullopt for other kinds.
std::optional<std::size_t> pointerTarget(std::uint64_t pointer, std::size_t at, unsigned kind) {
  if ((pointer & 3) != kind) return std::nullopt;
  auto offset = static_cast<std::int32_t>(static_cast<std::uint32_t>(pointer)) >> 2;  // signed words
  auto target = static_cast<std::int64_t>(at) + 1 + offset;
  if (target < 0) return std::nullopt;
  return static_cast<std::size_t>(target);
}

}  // namespace

// cutDecision is signingMessage(decision) for the SignedDecision that the struct pointer at word
// `signedAt` of canonical `bytes` points to, cut from the bytes: that struct's first pointer is the
// decision, whose subtree follows the SignedDecision's pointers directly (pre-order) and ends where
// the signatures list begins, or at the end of the message. Any other layout: re-encode.
SigningMessage cutDecision(ByteView bytes, std::size_t signedAt, schema::Decision::Reader decision) {
  const std::size_t words = bytes.size() / 8;
  constexpr unsigned STRUCT = 0, LIST = 1;
  if (bytes.size() % 8 != 0 || signedAt >= words) return signingMessage(decision);
  std::uint64_t sp = wordAt(bytes, signedAt);
  auto target = pointerTarget(sp, signedAt, STRUCT);
  std::size_t dataWords = (sp >> 32) & 0xffff, pointerCount = sp >> 48;
  if (!target || pointerCount == 0 || *target + dataWords + pointerCount > words) return signingMessage(decision);
  std::size_t decisionPointer = *target + dataWords;
  std::uint64_t dp = wordAt(bytes, decisionPointer);
  auto start = pointerTarget(dp, decisionPointer, STRUCT);
  if (dp == 0 || !start || *start != *target + dataWords + pointerCount) return signingMessage(decision);
  std::size_t end = words;
  if (pointerCount >= 2) {
    std::uint64_t listPointer = wordAt(bytes, decisionPointer + 1);
    if (listPointer != 0) {
      auto list = pointerTarget(listPointer, decisionPointer + 1, LIST);
      if (!list || *list <= *start || *list > words) return signingMessage(decision);
      end = *list;
    }
  }
  Bytes out;
  out.reserve(DECISION_CONTEXT.size() + 8 + (end - *start) * 8);
  out.insert(out.end(), DECISION_CONTEXT.begin(), DECISION_CONTEXT.end());
  std::uint64_t newRoot = dp & 0xffffffff00000000ULL;  // same sizes, offset 0, kind struct
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(newRoot >> (8 * i)));
  out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(*start * 8),
             bytes.begin() + static_cast<std::ptrdiff_t>(end * 8));
  return SigningMessage(std::move(out));
}

SigningMessage signingMessageOf(ByteView bytes, schema::Decision::Reader decision) {
  // A canonical SignedDecision: its root pointer (word 0) points at word 1.
  if (bytes.size() < 16 || pointerTarget(wordAt(bytes, 0), 0, 0) != std::optional<std::size_t>(1))
    return signingMessage(decision);
  return cutDecision(bytes, 0, decision);
}

SigningMessage signingMessageOfEntry(ByteView bytes, schema::Decision::Reader decision) {
  // A canonical Entry: root pointer at word 0 to the Entry at word 1, whose data words come first,
  // then its one pointer, to the SignedDecision.
  if (bytes.size() < 16 || pointerTarget(wordAt(bytes, 0), 0, 0) != std::optional<std::size_t>(1))
    return signingMessage(decision);
  std::uint64_t root = wordAt(bytes, 0);
  std::size_t dataWords = (root >> 32) & 0xffff, pointerCount = root >> 48;
  if (pointerCount == 0) return signingMessage(decision);
  return cutDecision(bytes, 1 + dataWords, decision);
}

Bytes encodeEntry(std::uint64_t index, std::int64_t sequencedAt, schema::SignedDecision::Reader signedDecision) {
  capnp::MallocMessageBuilder builder;
  auto entry = builder.initRoot<schema::Entry>();
  entry.setIndex(index);
  entry.setSequencedAt(sequencedAt);
  entry.setSigned(signedDecision);
  return entryBytes(entry.asReader());
}

Bytes encodeEntryOf(std::uint64_t index, std::int64_t sequencedAt, ByteView canonicalSignedDecision,
                    schema::SignedDecision::Reader signedDecision) {
  const ByteView bytes = canonicalSignedDecision;
  // A canonical non-empty SignedDecision: its root pointer (word 0) is a struct pointer to word 1.
  if (bytes.size() < 16 || bytes.size() % 8 != 0 || pointerTarget(wordAt(bytes, 0), 0, 0) != std::optional<std::size_t>(1))
    return encodeEntry(index, sequencedAt, signedDecision);
  const auto at = static_cast<std::uint64_t>(sequencedAt);
  const std::uint64_t dataWords = at != 0 ? 2 : index != 0 ? 1 : 0;  // canonical form drops trailing zero words
  const std::uint64_t root = dataWords << 32 | std::uint64_t{1} << 48;  // struct, offset 0, one pointer
  Bytes out;
  out.reserve(8 * (1 + dataWords) + bytes.size());
  auto put = [&](std::uint64_t word) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(word >> (8 * i)));
  };
  put(root);
  if (dataWords >= 1) put(index);
  if (dataWords >= 2) put(at);
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

template <class T>
Result<Parsed<T>> parseCanonical(ByteView bytes, Reason malformed) {
  if (bytes.size() > limits::MAX_ENTRY_BYTES)
    return refuse(Reason::LIMIT_EXCEEDED, fmt::format("{} bytes is over the limit of {} bytes for one entry",
                                                      bytes.size(), limits::MAX_ENTRY_BYTES));
  if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0)
    return refuse(malformed, fmt::format("{} bytes is not a whole number of 8-byte Cap'n Proto words", bytes.size()));
  Parsed<T> parsed;
  // The bytes are capnp::canonicalize output: one segment and no segment table. Put the table of a
  // single-segment message (segment count - 1 = 0, then the segment's size in words, little-endian)
  // in front of them so that a FlatArrayMessageReader can read them.
  std::size_t wordCount = bytes.size() / sizeof(capnp::word);
  parsed.words_ = kj::heapArray<capnp::word>(wordCount + 1);
  auto* table = reinterpret_cast<std::uint8_t*>(parsed.words_.begin());
  std::memset(table, 0, sizeof(capnp::word));
  for (int i = 0; i < 4; ++i) table[4 + i] = static_cast<std::uint8_t>(wordCount >> (8 * i));
  std::memcpy(parsed.words_.begin() + 1, bytes.data(), bytes.size());
  capnp::ReaderOptions options;
  options.traversalLimitInWords = wordCount + 16;  // one pass over the words, as canonical form allows
  options.nestingLimit = limits::MAX_NESTING;
  try {
    // Re-encode and compare: MessageReader::isCanonical() lets non-zero padding through, and one
    // entry must have exactly one spelling.
    capnp::FlatArrayMessageReader checking(parsed.words_.asPtr(), options);
    auto canonical = capnp::canonicalize(checking.getRoot<T>());
    auto canonicalChars = canonical.asBytes();
    if (canonicalChars.size() != bytes.size() ||
        !std::equal(canonicalChars.begin(), canonicalChars.end(), bytes.begin()))
      return refuse(malformed, "the bytes are a valid message but not its canonical encoding; "
                               "re-encode with capnp::canonicalize");
  } catch (const kj::Exception& e) {
    return refuse(malformed, fmt::format("not a valid Cap'n Proto message: {}", e.getDescription().cStr()));
  }
  // Canonical form means one segment, every word reached once and no pointer shared, so no read can
  // be amplified: the reader that callers use may traverse the message as often as they need.
  options.traversalLimitInWords = kj::maxValue;
  parsed.message_ = std::make_unique<capnp::FlatArrayMessageReader>(parsed.words_.asPtr(), options);
  auto chars = parsed.words_.asBytes();
  parsed.bytes_ = ByteView(chars.begin() + sizeof(capnp::word), bytes.size());
  return parsed;
}

template Result<Parsed<schema::Entry>> parseCanonical<schema::Entry>(ByteView, Reason);
template Result<Parsed<schema::SignedDecision>> parseCanonical<schema::SignedDecision>(ByteView, Reason);

Result<void> checkSignatureShapes(capnp::List<schema::Signature>::Reader signatures) {
  if (signatures.size() > limits::MAX_SIGNATURES)
    return refuse(Reason::LIMIT_EXCEEDED, fmt::format("{} signatures is over the limit of {}", signatures.size(),
                                                      limits::MAX_SIGNATURES));
  for (unsigned i = 0; i < signatures.size(); ++i) {
    auto sig = signatures[i];
    if (sig.getKeyId().size() != KEY_ID_BYTES)
      return refuse(Reason::MALFORMED_ENTRY, fmt::format("signature {} has a key id of {} bytes; an Ed25519 public key "
                                                         "has {}", i, sig.getKeyId().size(), KEY_ID_BYTES));
    if (sig.getSignature().size() != SIGNATURE_BYTES)
      return refuse(Reason::MALFORMED_ENTRY, fmt::format("signature {} is {} bytes long; an Ed25519 signature has {}",
                                                         i, sig.getSignature().size(), SIGNATURE_BYTES));
  }
  return outcome::success();
}

Result<Parsed<schema::Entry>> parseEntry(ByteView bytes) {
  HREG_TRY(parsed, parseCanonical<schema::Entry>(bytes, Reason::MALFORMED_ENTRY));
  try {
    auto sigs = parsed.reader().getSigned().getSignatures();
    if (sigs.size() == 0)
      return refuse(Reason::UNSIGNED_ENTRY, "the entry carries no signature; officials must sign it with `hreg sign`");
    HREG_TRY(checkSignatureShapes(sigs));
  } catch (const kj::Exception& e) {
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("unreadable entry: {}", e.getDescription().cStr()));
  }
  return parsed;
}

Result<Parsed<schema::SignedDecision>> parseSignedDecision(ByteView bytes) {
  HREG_TRY(parsed, parseCanonical<schema::SignedDecision>(bytes, Reason::MALFORMED_ENTRY));
  try {
    HREG_TRY(checkSignatureShapes(parsed.reader().getSignatures()));
  } catch (const kj::Exception& e) {
    return refuse(Reason::MALFORMED_ENTRY, fmt::format("unreadable decision: {}", e.getDescription().cStr()));
  }
  return parsed;
}

}  // namespace hreg::protocol
