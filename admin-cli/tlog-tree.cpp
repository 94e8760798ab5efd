// `hreg tlog root | inclusion-proof | verify-inclusion | consistency-proof | verify-consistency`:
// RFC 9162 §2.1 tree heads and proofs over a leaves file, and their verification. Proof hashes are
// printed one hex hash per line, the format the verify commands read back.
#include <fmt/format.h>

#include <memory>

#include "admin-cli/commands.h"
#include "admin-cli/tlog-input.h"
#include "admin-cli/tlog-output.h"
#include "admin-cli/tlog.h"
#include "ledger/merkle/proof.h"
#include "ledger/merkle/tree.h"

namespace hreg::cli::tlog {
namespace {

// Tree is the leaves file read into a memory tree.
struct Tree {
  std::string path;
  merkle::MemoryTree tree;
};

Tree readTree(const std::string& path) {
  Tree t{path, {}};
  for (const Bytes& leaf : readLeaves(path)) t.tree.appendLeaf(leaf);
  return t;
}

// checkSize refuses (as a usage error) a tree size beyond the leaves the file holds.
void checkSize(const Tree& t, std::uint64_t size, std::string_view flag) {
  if (size > t.tree.size())
    throw UsageError(fmt::format("{} {} is larger than the {} leaves in {}", flag, size, t.tree.size(),
                                 displayName(t.path)));
}

Json hashesJson(const std::vector<merkle::Hash>& hashes) {
  Json out = Json::array();
  for (const merkle::Hash& h : hashes) out.push_back(hex(h));
  return out;
}

void printHashes(const std::vector<merkle::Hash>& hashes) {
  for (const merkle::Hash& h : hashes) fmt::print("{}\n", hex(h));
}

// --- root -------------------------------------------------------------------------------------------

struct RootOptions {
  std::string leaves;
  bool json = false;
};

int root(const RootOptions& o) {
  Tree t = readTree(o.leaves);
  merkle::Hash r = t.tree.root();
  if (o.json) {
    printJson({{"treeSize", t.tree.size()}, {"root", hex(r)}, {"rootBase64", toBase64(r)}});
  } else {
    fmt::print("tree size   {}\nroot        {}\nroot base64 {}\n", t.tree.size(), hex(r), toBase64(r));
  }
  return EXIT_OK;
}

void addRoot(CLI::App& tlog) {
  auto o = std::make_shared<RootOptions>();
  auto* cmd = tlog.add_subcommand("root", "print the size and RFC 9162 root hash of the tree over LEAVES");
  cmd->add_option("LEAVES", o->leaves, "leaves file: one leaf per line as hex, an empty line for the empty "
                                       "leaf; - reads stdin")->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog root leaves.txt");
  cmd->callback(runCommand([o] { return root(*o); }));
}

// --- inclusion-proof --------------------------------------------------------------------------------

struct InclusionProofOptions {
  std::string leaves;
  std::uint64_t index = 0;
  std::uint64_t size = 0;
  CLI::Option* sizeFlag = nullptr;
  bool json = false;
};

int inclusionProof(const InclusionProofOptions& o) {
  Tree t = readTree(o.leaves);
  std::uint64_t size = o.sizeFlag->count() > 0 ? o.size : t.tree.size();
  checkSize(t, size, "--size");
  if (o.index >= size)
    throw UsageError(fmt::format("--index {} is not below the tree size {}; leaves are numbered from 0", o.index,
                                 size));
  auto proof = merkle::inclusionProof(t.tree, o.index, size);
  merkle::Hash leaf = t.tree.readHash({0, o.index});
  if (o.json) {
    printJson({{"leafIndex", o.index}, {"treeSize", size}, {"leafHash", hex(leaf)},
               {"root", hex(merkle::rootHash(t.tree, size))}, {"proof", hashesJson(proof)}});
  } else {
    printHashes(proof);
  }
  return EXIT_OK;
}

void addInclusionProof(CLI::App& tlog) {
  auto o = std::make_shared<InclusionProofOptions>();
  auto* cmd = tlog.add_subcommand("inclusion-proof", "print the proof that leaf --index is in the tree of --size "
                                                     "leaves, one hex hash per line");
  cmd->add_option("LEAVES", o->leaves, "leaves file (see `hreg tlog root --help`); - reads stdin")->required();
  cmd->add_option("--index", o->index, "the leaf, numbered from 0")->required()->check(unsignedNumber());
  o->sizeFlag = cmd->add_option("--size", o->size, "the tree size (default: every leaf in the file)")
                    ->check(unsignedNumber());
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog inclusion-proof leaves.txt --index 5 --size 8 > proof.txt");
  cmd->callback(runCommand([o] { return inclusionProof(*o); }));
}

// --- verify-inclusion -------------------------------------------------------------------------------

struct VerifyInclusionOptions {
  std::string leafHex, leafHashHex, root, proof;
  CLI::Option* leafHexFlag = nullptr;
  CLI::Option* leafHashFlag = nullptr;
  std::uint64_t index = 0, size = 0;
  bool json = false;
};

merkle::Hash leafHashOf(const VerifyInclusionOptions& o) {
  if (o.leafHexFlag->count() > 0) return merkle::leafHash(parseHex(o.leafHex, "--leaf-hex"));
  if (o.leafHashFlag->count() > 0) return parseHash(o.leafHashHex, "--leaf-hash");
  throw UsageError("name the leaf with --leaf-hex (its bytes) or --leaf-hash (its RFC 9162 leaf hash)");
}

int verifyInclusion(const VerifyInclusionOptions& o) {
  merkle::Hash leaf = leafHashOf(o);
  merkle::Hash root = parseHash(o.root, "--root");
  auto proof = readProof(o.proof);
  if (auto ok = merkle::verifyInclusion(leaf, o.index, o.size, proof, root); !ok)
    return refused(ok.error(), o.json, displayName(o.proof));
  if (o.json) {
    printJson({{"leafIndex", o.index}, {"treeSize", o.size}, {"leafHash", hex(leaf)}, {"root", hex(root)}});
  } else {
    fmt::print("verified: leaf {} (leaf hash {}) is in the tree of size {} with root {}\n", o.index, hex(leaf),
               o.size, hex(root));
  }
  return EXIT_OK;
}

void addVerifyInclusion(CLI::App& tlog) {
  auto o = std::make_shared<VerifyInclusionOptions>();
  auto* cmd = tlog.add_subcommand("verify-inclusion", "check an inclusion proof against a root");
  o->leafHexFlag = cmd->add_option("--leaf-hex", o->leafHex, "the leaf's bytes as hex (\"\" is the empty leaf)");
  o->leafHashFlag = cmd->add_option("--leaf-hash", o->leafHashHex, "or the leaf hash SHA-256(0x00 || leaf) as hex");
  o->leafHexFlag->excludes(o->leafHashFlag);
  cmd->add_option("--index", o->index, "the leaf's index, from 0")->required()->check(unsignedNumber());
  cmd->add_option("--size", o->size, "the tree size")->required()->check(unsignedNumber());
  cmd->add_option("--root", o->root, "the tree's root hash (hex, or base64 as in checkpoints)")->required();
  cmd->add_option("PROOF", o->proof, "proof file: one hex hash per line; - reads stdin")->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog verify-inclusion --leaf-hex 40414243 --index 5 --size 8 --root "
                    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328 proof.txt");
  cmd->callback(runCommand([o] { return verifyInclusion(*o); }));
}

// --- consistency-proof ------------------------------------------------------------------------------

struct ConsistencyProofOptions {
  std::string leaves;
  std::uint64_t oldSize = 0, newSize = 0;
  bool json = false;
};

int consistencyProof(const ConsistencyProofOptions& o) {
  Tree t = readTree(o.leaves);
  checkSize(t, o.newSize, "--new");
  if (o.oldSize > o.newSize)
    throw UsageError(fmt::format("--old {} is larger than --new {}; a tree only grows", o.oldSize, o.newSize));
  auto proof = merkle::consistencyProof(t.tree, o.oldSize, o.newSize);
  if (o.json) {
    printJson({{"oldSize", o.oldSize}, {"newSize", o.newSize}, {"oldRoot", hex(merkle::rootHash(t.tree, o.oldSize))},
               {"newRoot", hex(merkle::rootHash(t.tree, o.newSize))}, {"proof", hashesJson(proof)}});
  } else {
    printHashes(proof);
  }
  return EXIT_OK;
}

void addConsistencyProof(CLI::App& tlog) {
  auto o = std::make_shared<ConsistencyProofOptions>();
  auto* cmd = tlog.add_subcommand("consistency-proof", "print the proof that the tree of --new leaves extends the "
                                                       "tree of --old leaves, one hex hash per line");
  cmd->add_option("LEAVES", o->leaves, "leaves file (see `hreg tlog root --help`); - reads stdin")->required();
  cmd->add_option("--old", o->oldSize, "the older tree size")->required()->check(unsignedNumber());
  cmd->add_option("--new", o->newSize, "the newer tree size")->required()->check(unsignedNumber());
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog consistency-proof leaves.txt --old 6 --new 8 > proof.txt");
  cmd->callback(runCommand([o] { return consistencyProof(*o); }));
}

// --- verify-consistency -----------------------------------------------------------------------------

struct VerifyConsistencyOptions {
  std::uint64_t oldSize = 0, newSize = 0;
  std::string oldRoot, newRoot, proof;
  bool json = false;
};

int verifyConsistency(const VerifyConsistencyOptions& o) {
  merkle::Hash oldRoot = parseHash(o.oldRoot, "--old-root");
  merkle::Hash newRoot = parseHash(o.newRoot, "--new-root");
  auto proof = readProof(o.proof);
  if (auto ok = merkle::verifyConsistency(o.oldSize, o.newSize, proof, oldRoot, newRoot); !ok)
    return refused(ok.error(), o.json, displayName(o.proof));
  if (o.json) {
    printJson({{"oldSize", o.oldSize}, {"newSize", o.newSize}, {"oldRoot", hex(oldRoot)}, {"newRoot", hex(newRoot)}});
  } else {
    fmt::print("verified: the tree of size {} with root {} extends the tree of size {} with root {}\n", o.newSize,
               hex(newRoot), o.oldSize, hex(oldRoot));
  }
  return EXIT_OK;
}

void addVerifyConsistency(CLI::App& tlog) {
  auto o = std::make_shared<VerifyConsistencyOptions>();
  auto* cmd = tlog.add_subcommand("verify-consistency", "check a consistency proof between two tree heads");
  cmd->add_option("--old", o->oldSize, "the older tree size")->required()->check(unsignedNumber());
  cmd->add_option("--new", o->newSize, "the newer tree size")->required()->check(unsignedNumber());
  cmd->add_option("--old-root", o->oldRoot, "the older root (hex, or base64)")->required();
  cmd->add_option("--new-root", o->newRoot, "the newer root (hex, or base64)")->required();
  cmd->add_option("PROOF", o->proof, "proof file: one hex hash per line; - reads stdin")->required();
  addJsonFlag(*cmd, o->json);
  withExample(*cmd, "hreg tlog verify-consistency --old 6 --new 8 --old-root "
                    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef --new-root "
                    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328 proof.txt");
  cmd->callback(runCommand([o] { return verifyConsistency(*o); }));
}

}  // namespace

void addTreeCommands(CLI::App& tlog) {
  addRoot(tlog);
  addInclusionProof(tlog);
  addVerifyInclusion(tlog);
  addConsistencyProof(tlog);
  addVerifyConsistency(tlog);
}

}  // namespace hreg::cli::tlog
