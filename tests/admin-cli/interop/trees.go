// Tree heads and proofs: hreg tlog against Go's golang.org/x/mod/sumdb/tlog (see interop.go).
package main

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// --- trees ----------------------------------------------------------------------------------------

// goTree is Go's tlog over a leaf list: the stored hashes of StoredHashes, read back by a HashReader.
type goTree struct {
	stored []tlog.Hash
}

func (t *goTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, index := range indexes {
		if index < 0 || index >= int64(len(t.stored)) {
			return nil, fmt.Errorf("no stored hash %d", index)
		}
		out[i] = t.stored[index]
	}
	return out, nil
}

func (t *goTree) append(n int64, leaf []byte) {
	hashes, err := tlog.StoredHashes(n, leaf, t)
	if err != nil {
		panic(err)
	}
	t.stored = append(t.stored, hashes...)
}

func hexHashes(hashes []tlog.Hash) []string {
	out := make([]string, len(hashes))
	for i, h := range hashes {
		out[i] = hex.EncodeToString(h[:])
	}
	return out
}

func parseHexHashes(hexes []string) ([]tlog.Hash, bool) {
	out := make([]tlog.Hash, len(hexes))
	for i, s := range hexes {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			return nil, false
		}
		copy(out[i][:], b)
	}
	return out, true
}

func proofText(hashes []tlog.Hash) string {
	var b strings.Builder
	for _, h := range hexHashes(hashes) {
		b.WriteString(h + "\n")
	}
	return b.String()
}

// checkTrees compares every tree size 1..max-size of one random leaf list (leaves of 0 to 40 bytes;
// Go defines the empty tree's hash as zero where RFC 9162 says SHA-256(""), so size 0 is left out).
// Each hreg run costs a few milliseconds of process start, so `hreg tlog root` on stdin and hreg's
// verification of Go's proofs run for a sample of sizes (all up to 32, then every 8th): the test
// stays well under 30 seconds while Go checks hreg's proofs at every size.
func checkTrees(rng *rand.Rand) {
	var leaves []string
	var lines strings.Builder
	tree := &goTree{}
	for i := 0; i < *maxSize; i++ {
		leaf := make([]byte, rng.Intn(41))
		rng.Read(leaf)
		tree.append(int64(i), leaf)
		leaves = append(leaves, hex.EncodeToString(leaf))
		lines.WriteString(leaves[i] + "\n")
	}
	leavesFile := writeFile("leaves.txt", lines.String(), 0644)
	roots := make([]tlog.Hash, *maxSize+1)
	for n := int64(1); n <= int64(*maxSize); n++ {
		var err error
		if roots[n], err = tlog.TreeHash(n, tree); err != nil {
			panic(err)
		}
		sampled := n <= 32 || n%8 == 0 || n == int64(*maxSize)
		if sampled {
			checkRoot(n, strings.Join(leaves[:n], "\n")+"\n", roots[n])
		}
		checkInclusion(leavesFile, tree, n, rng.Int63n(n), roots[n], sampled)
		m := 1 + rng.Int63n(n)
		checkConsistency(leavesFile, tree, m, n, roots[m], roots[n], sampled)
	}
}

func checkRoot(n int64, leaves string, root tlog.Hash) {
	var r struct {
		TreeSize int64  `json:"treeSize"`
		Root     string `json:"root"`
	}
	if hregJSON(&r, leaves, "tlog", "root", "-") && (r.TreeSize != n || r.Root != hexHashes([]tlog.Hash{root})[0]) {
		failf("size %d: hreg's root is %s (size %d), Go's TreeHash %x", n, r.Root, r.TreeSize, root)
	}
}

func checkInclusion(leavesFile string, tree *goTree, n, index int64, root tlog.Hash, hregVerifies bool) {
	var r struct {
		LeafHash string   `json:"leafHash"`
		Root     string   `json:"root"`
		Proof    []string `json:"proof"`
	}
	if !hregJSON(&r, "", "tlog", "inclusion-proof", leavesFile, "--index", fmt.Sprint(index), "--size", fmt.Sprint(n)) {
		return
	}
	goProof, err := tlog.ProveRecord(n, index, tree)
	if err != nil {
		panic(err)
	}
	leafHash := tree.stored[tlog.StoredHashIndex(0, index)]
	if r.Root != hexHashes([]tlog.Hash{root})[0] || r.LeafHash != hexHashes([]tlog.Hash{leafHash})[0] {
		failf("leaf %d of %d: hreg's root or leaf hash differs from Go's TreeHash or RecordHash", index, n)
	}
	if fmt.Sprint(r.Proof) != fmt.Sprint(hexHashes(goProof)) {
		failf("leaf %d of %d: hreg's inclusion proof %v, Go's ProveRecord %v", index, n, r.Proof, hexHashes(goProof))
	}
	proof, ok := parseHexHashes(r.Proof)
	if !ok || tlog.CheckRecord(proof, n, root, index, leafHash) != nil {
		failf("leaf %d of %d: Go's CheckRecord refuses hreg's proof", index, n)
	}
	if len(proof) > 0 {
		proof[len(proof)-1][0] ^= 1
		if tlog.CheckRecord(proof, n, root, index, leafHash) == nil {
			failf("leaf %d of %d: Go's CheckRecord accepts a tampered proof", index, n)
		}
	}
	if !hregVerifies {
		return
	}
	if res := hreg(proofText(goProof), "tlog", "verify-inclusion", "--leaf-hash", hexHashes([]tlog.Hash{leafHash})[0],
		"--index", fmt.Sprint(index), "--size", fmt.Sprint(n), "--root", root.String(), "-"); res.code != 0 {
		failf("leaf %d of %d: hreg tlog verify-inclusion refuses Go's proof: %s", index, n, res.err)
	}
}

func checkConsistency(leavesFile string, tree *goTree, m, n int64, oldRoot, newRoot tlog.Hash, hregVerifies bool) {
	var r struct {
		OldRoot string   `json:"oldRoot"`
		NewRoot string   `json:"newRoot"`
		Proof   []string `json:"proof"`
	}
	if !hregJSON(&r, "", "tlog", "consistency-proof", leavesFile, "--old", fmt.Sprint(m), "--new", fmt.Sprint(n)) {
		return
	}
	goProof, err := tlog.ProveTree(n, m, tree)
	if err != nil {
		panic(err)
	}
	if fmt.Sprint(r.Proof) != fmt.Sprint(hexHashes(goProof)) {
		failf("%d to %d: hreg's consistency proof %v, Go's ProveTree %v", m, n, r.Proof, hexHashes(goProof))
	}
	if r.OldRoot != hexHashes([]tlog.Hash{oldRoot})[0] || r.NewRoot != hexHashes([]tlog.Hash{newRoot})[0] {
		failf("%d to %d: hreg's roots differ from Go's TreeHash", m, n)
	}
	proof, ok := parseHexHashes(r.Proof)
	if !ok || tlog.CheckTree(proof, n, newRoot, m, oldRoot) != nil {
		failf("%d to %d: Go's CheckTree refuses hreg's proof", m, n)
	}
	if !hregVerifies {
		return
	}
	if res := hreg(proofText(goProof), "tlog", "verify-consistency", "--old", fmt.Sprint(m), "--new", fmt.Sprint(n),
		"--old-root", oldRoot.String(), "--new-root", newRoot.String(), "-"); res.code != 0 {
		failf("%d to %d: hreg tlog verify-consistency refuses Go's proof: %s", m, n, res.err)
	}
}
