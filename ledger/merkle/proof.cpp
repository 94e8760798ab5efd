#include "ledger/merkle/proof.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <vector>

#include "protocol/limits.h"

namespace hreg::merkle {
namespace {

bool lsb(std::uint64_t x) { return (x & 1) != 0; }

Result<void> checkProofSize(std::span<const Hash> proof) {
  if (proof.size() > limits::MAX_PROOF_HASHES)
    return refuse(Reason::PROOF_WRONG_LENGTH, fmt::format("a proof of {} hashes is longer than any tree of 2^64 "
                                                          "leaves needs", proof.size()));
  return outcome::success();
}

}  // namespace

Result<std::vector<Hash>> proofFromBytes(std::span<const Bytes> hashes) {
  if (hashes.size() > limits::MAX_PROOF_HASHES)
    return refuse(Reason::MALFORMED_PROOF, fmt::format("a proof of {} hashes is longer than the limit of {}",
                                                       hashes.size(), limits::MAX_PROOF_HASHES));
  std::vector<Hash> proof(hashes.size());
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    if (hashes[i].size() != HASH_BYTES)
      return refuse(Reason::MALFORMED_PROOF, fmt::format("proof hash {} is {} bytes long; a SHA-256 hash has {}", i,
                                                         hashes[i].size(), HASH_BYTES));
    std::copy(hashes[i].begin(), hashes[i].end(), proof[i].begin());
  }
  return proof;
}

Result<Hash> rootFromInclusionProof(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                                    std::span<const Hash> proof) {
  if (index >= size)
    return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("leaf index {} is not below tree size {}", index, size));
  HREG_TRY(checkProofSize(proof));
  std::uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0)
      return refuse(Reason::PROOF_WRONG_LENGTH, fmt::format("the inclusion proof for leaf {} of {} has too many "
                                                            "hashes ({})", index, size, proof.size()));
    if (lsb(fn) || fn == sn) {
      r = nodeHash(p, r);
      if (!lsb(fn))
        while (!lsb(fn) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0)
    return refuse(Reason::PROOF_WRONG_LENGTH, fmt::format("the inclusion proof for leaf {} of {} has too few "
                                                          "hashes ({})", index, size, proof.size()));
  return r;
}

Result<void> verifyInclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size, std::span<const Hash> proof,
                             const Hash& root) {
  HREG_TRY(computed, rootFromInclusionProof(leaf, index, size, proof));
  if (computed != root)
    return refuse(Reason::ROOT_MISMATCH, fmt::format("the inclusion proof for leaf {} leads to a root other than "
                                                     "the one of tree size {}", index, size));
  return outcome::success();
}

Result<void> verifyConsistency(std::uint64_t oldSize, std::uint64_t newSize, std::span<const Hash> proof,
                               const Hash& oldRoot, const Hash& newRoot) {
  if (oldSize > newSize)
    return refuse(Reason::INDEX_OUT_OF_RANGE, fmt::format("old size {} is larger than new size {}", oldSize, newSize));
  HREG_TRY(checkProofSize(proof));
  if (oldSize == newSize) {
    if (!proof.empty())
      return refuse(Reason::PROOF_WRONG_LENGTH, "a consistency proof between equal sizes must be empty");
    if (oldRoot != newRoot)
      return refuse(Reason::ROOT_MISMATCH, fmt::format("two different roots for the same size {}", oldSize));
    return outcome::success();
  }
  if (oldSize == 0) {
    if (!proof.empty())
      return refuse(Reason::PROOF_WRONG_LENGTH, "a consistency proof from the empty tree must be empty");
    return outcome::success();
  }
  if (proof.empty())
    return refuse(Reason::PROOF_WRONG_LENGTH, fmt::format("an empty consistency proof cannot link size {} to {}",
                                                          oldSize, newSize));
  // RFC 9162 §2.1.4.2, step by step.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(oldSize)) path.push_back(oldRoot);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = oldSize - 1, sn = newSize - 1;
  while (lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0)
      return refuse(Reason::PROOF_WRONG_LENGTH, fmt::format("the consistency proof from {} to {} has too many hashes",
                                                            oldSize, newSize));
    if (lsb(fn) || fn == sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn))
        while (!lsb(fn) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0)
    return refuse(Reason::PROOF_WRONG_LENGTH, fmt::format("the consistency proof from {} to {} has too few hashes",
                                                          oldSize, newSize));
  if (fr != oldRoot)
    return refuse(Reason::ROOT_MISMATCH, fmt::format("the consistency proof does not lead to the root of size {}",
                                                     oldSize));
  if (sr != newRoot)
    return refuse(Reason::ROOT_MISMATCH, fmt::format("the consistency proof does not lead to the root of size {}",
                                                     newSize));
  return outcome::success();
}

}  // namespace hreg::merkle
