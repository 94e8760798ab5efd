// Command interop checks `hreg tlog` against an independent implementation, Go's
// golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog (Debian 12: golang-golang-x-mod-dev 0.7.0),
// in both directions and byte for byte:
//
//   - keys: Go's GenerateKey keys give the same verifier key under `hreg tlog key verifier`; keys made by
//     `hreg tlog key generate` are accepted by Go's NewSigner and NewVerifier and sign what Go verifies;
//   - notes: Go's Sign output verifies with `hreg tlog verify`, and `hreg tlog sign` writes the very bytes
//     Go's Sign writes (Ed25519 is deterministic); hreg-signed notes open with Go's Open; a tampered
//     note is refused by both; a cosignature added by `hreg tlog cosign` is left alone by Go's Open and
//     checked here by hand against C2SP tlog-cosignature with crypto/ed25519;
//   - trees: for every size 1..300 of a random leaf list, hreg's root, inclusion and consistency proofs
//     equal Go's TreeHash, ProveRecord and ProveTree (Go's record hash is the RFC 6962 leaf hash), Go's
//     CheckRecord and CheckTree accept hreg's proofs, and hreg's verify commands accept Go's.
//
// The tree checks are in trees.go. Run by the CTest test hreg-tlog-interop (tests/admin-cli/CMakeLists.txt,
// which builds this directory with interop/run-interop.sh):
//
//	interop -hreg path/to/hreg
//
// It prints one line per failed check and exits 1 if any failed.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var (
	hregPath = flag.String("hreg", "", "path to the hreg binary")
	maxSize  = flag.Int("max-size", 300, "largest tree size to compare")
	work     string
	failures int
)

// failf records one failed check.
func failf(format string, args ...interface{}) {
	failures++
	fmt.Printf("FAIL: "+format+"\n", args...)
}

// result is one hreg run.
type result struct {
	out, err string
	code     int
}

// hreg runs the hreg binary with stdin and returns what it printed and its exit code.
func hreg(stdin string, args ...string) result {
	cmd := exec.Command(*hregPath, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		fmt.Printf("FATAL: cannot run %s: %v\n", *hregPath, err)
		os.Exit(2)
	}
	return result{out.String(), errOut.String(), code}
}

// hregOK runs hreg and records a failure unless it exits 0.
func hregOK(stdin string, args ...string) (string, bool) {
	r := hreg(stdin, args...)
	if r.code != 0 {
		failf("hreg %s: exit %d: %s", strings.Join(args, " "), r.code, r.err)
		return "", false
	}
	return r.out, true
}

// hregJSON runs hreg with --json and decodes its output into v.
func hregJSON(v interface{}, stdin string, args ...string) bool {
	out, ok := hregOK(stdin, append(args, "--json")...)
	if !ok {
		return false
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		failf("hreg %s: output is not JSON: %v", strings.Join(args, " "), err)
		return false
	}
	return true
}

func writeFile(name, content string, mode os.FileMode) string {
	path := filepath.Join(work, name)
	os.Remove(path)
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		fmt.Printf("FATAL: %v\n", err)
		os.Exit(2)
	}
	return path
}

func main() {
	flag.Parse()
	if *hregPath == "" {
		fmt.Println("usage: interop -hreg path/to/hreg")
		os.Exit(2)
	}
	var err error
	if work, err = os.MkdirTemp("", "hreg-interop-"); err != nil {
		fmt.Printf("FATAL: %v\n", err)
		os.Exit(2)
	}
	defer os.RemoveAll(work)

	rng := rand.New(rand.NewSource(20260501))
	checkKeys(rng)
	checkNotes(rng)
	checkCosignature(rng)
	checkTrees(rng)
	os.RemoveAll(work)
	if failures > 0 {
		fmt.Printf("%d checks failed\n", failures)
		os.Exit(1)
	}
	fmt.Println("PASS: hreg tlog and golang.org/x/mod/sumdb agree")
}

// --- keys -----------------------------------------------------------------------------------------

// checkKeys: Go's keys read the same in hreg, and hreg's keys are Go keys. Twenty of each, so that
// base64 key parts holding '+' (about half of all keys) are covered.
func checkKeys(rng *rand.Rand) {
	for i := 0; i < 20; i++ {
		name := fmt.Sprintf("go.example/log%d", i)
		skey, vkey, err := note.GenerateKey(rng, name)
		if err != nil {
			failf("note.GenerateKey: %v", err)
			return
		}
		file := writeFile("go.key", skey+"\n", 0600)
		if out, ok := hregOK("", "tlog", "key", "verifier", file); ok && out != vkey+"\n" {
			failf("hreg tlog key verifier of Go key %s printed %q, Go says %q", skey, out, vkey)
		}
	}
	for i := 0; i < 20; i++ {
		signer, verifier, _, ok := hregKey(fmt.Sprintf("hreg.example/%d", i))
		if !ok {
			continue
		}
		if signer.Name() != verifier.Name() || signer.KeyHash() != verifier.KeyHash() {
			failf("Go reads hreg's signer key as %s/%08x but its verifier key as %s/%08x", signer.Name(),
				signer.KeyHash(), verifier.Name(), verifier.KeyHash())
		}
		msg := []byte("signed by Go with a key made by hreg\n")
		sig, err := signer.Sign(msg)
		if err != nil || !verifier.Verify(msg, sig) {
			failf("Go cannot sign and verify with hreg's key %s: %v", verifier.Name(), err)
		}
	}
}

// hregKey makes a key with `hreg tlog key generate` and opens it with Go.
func hregKey(name string) (note.Signer, note.Verifier, string, bool) {
	file := filepath.Join(work, "hreg.key")
	os.Remove(file)
	out, ok := hregOK("", "tlog", "key", "generate", name, "--out", file)
	if !ok {
		return nil, nil, "", false
	}
	skey, err := os.ReadFile(file)
	if err != nil {
		failf("hreg tlog key generate wrote no key: %v", err)
		return nil, nil, "", false
	}
	signer, err := note.NewSigner(strings.TrimSuffix(string(skey), "\n"))
	if err != nil {
		failf("Go's NewSigner refuses hreg's signer key for %s: %v", name, err)
		return nil, nil, "", false
	}
	vkey := strings.TrimSuffix(out, "\n")
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		failf("Go's NewVerifier refuses hreg's verifier key %q: %v", vkey, err)
		return nil, nil, "", false
	}
	return signer, verifier, file, true
}

// --- notes ----------------------------------------------------------------------------------------

var texts = []string{
	"If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
	"go.sum database tree\n35225469\nvt5T6GaLCXvyHFl9VUvvItR43XZxfLgftEcTyO3eJCQ=\n",
	"Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n",
	"忻府区非遗工坊\n",
	"\n",
}

// checkNotes signs each text with a Go key and an hreg key, by each implementation, and opens each
// result with the other.
func checkNotes(rng *rand.Rand) {
	goSkey, goVkey, _ := note.GenerateKey(rng, "go.example/log")
	goSigner, _ := note.NewSigner(goSkey)
	goVerifier, _ := note.NewVerifier(goVkey)
	goKeyFile := writeFile("go-log.key", goSkey+"\n", 0600)
	hregSigner, hregVerifier, hregKeyFile, ok := hregKey("hreg.example/log")
	if !ok {
		return
	}
	hregVkey := hregVerifierKey(hregKeyFile)
	both := note.VerifierList(goVerifier, hregVerifier)

	for _, text := range texts {
		textFile := writeFile("text.txt", text, 0644)
		goNote, err := note.Sign(&note.Note{Text: text}, goSigner)
		if err != nil {
			failf("note.Sign: %v", err)
			continue
		}
		// Go signs, hreg verifies; hreg signs with Go's key, and writes Go's bytes.
		if r := hreg("", "tlog", "verify", "--key", goVkey, writeFile("go.note", string(goNote), 0644)); r.code != 0 {
			failf("hreg tlog verify refuses Go's note %q: %s", goNote, r.err)
		}
		if out, ok := hregOK("", "tlog", "sign", "--key", goKeyFile, textFile); ok && out != string(goNote) {
			failf("hreg tlog sign with Go's key wrote %q, Go's note.Sign %q", out, goNote)
		}
		// hreg signs with its own key, Go opens; hreg adds its signature to Go's note, Go writes the same.
		hregNote, ok := hregOK("", "tlog", "sign", "--key", hregKeyFile, textFile)
		if ok {
			n, err := note.Open([]byte(hregNote), note.VerifierList(hregVerifier))
			if err != nil || n.Text != text || len(n.Sigs) != 1 {
				failf("Go's note.Open of hreg's note %q: %v", hregNote, err)
			}
		}
		goBoth, _ := note.Sign(&note.Note{Text: text}, goSigner, hregSigner)
		if out, ok := hregOK("", "tlog", "sign", "--key", hregKeyFile, writeFile("go.note", string(goNote), 0644)); ok {
			if out != string(goBoth) {
				failf("hreg adding a signature to Go's note wrote %q, Go %q", out, goBoth)
			}
			if n, err := note.Open([]byte(out), both); err != nil || len(n.Sigs) != 2 {
				failf("Go's note.Open of the note signed by both: %v", err)
			}
			r := hreg("", "tlog", "verify", "--json", "--key", goVkey, "--key", hregVkey, writeFile("both.note", out, 0644))
			if r.code != 0 || strings.Count(r.out, "\"verifierKey\"") != 2 {
				failf("hreg tlog verify with both keys: exit %d %s %s", r.code, r.out, r.err)
			}
		}
		checkTamperedRefused(hregNote, goVerifier, hregVerifier, goVkey, hregVkey)
	}
}

func hregVerifierKey(keyFile string) string {
	out, _ := hregOK("", "tlog", "key", "verifier", keyFile)
	return strings.TrimSuffix(out, "\n")
}

// checkTamperedRefused prepends a character to an hreg-signed note's text: Go and hreg both refuse it.
func checkTamperedRefused(signed string, goVerifier, hregVerifier note.Verifier, goVkey, hregVkey string) {
	if signed == "" {
		return
	}
	tampered := "X" + signed
	if _, err := note.Open([]byte(tampered), note.VerifierList(hregVerifier)); err == nil {
		failf("Go's note.Open accepts a tampered note")
	}
	if r := hreg("", "tlog", "verify", "--key", hregVkey, writeFile("bad.note", tampered, 0644)); r.code != 1 ||
		!strings.Contains(r.err, "refused (bad-signature)") {
		failf("hreg tlog verify of a tampered note: exit %d, %s", r.code, r.err)
	}
}

// --- cosignatures ---------------------------------------------------------------------------------

// checkCosignature: a Go-signed sumdb tree note, cosigned by hreg, still opens in Go (the cosignature
// is by a key Go does not know), and the cosignature line is what C2SP tlog-cosignature says,
// checked here with crypto/ed25519 alone.
func checkCosignature(rng *rand.Rand) {
	goSkey, goVkey, _ := note.GenerateKey(rng, "go.example/log")
	goSigner, _ := note.NewSigner(goSkey)
	goVerifier, _ := note.NewVerifier(goVkey)
	var root tlog.Hash
	rng.Read(root[:])
	tree := tlog.Tree{N: 1234567, Hash: root}
	signed, _ := note.Sign(&note.Note{Text: string(tlog.FormatTree(tree))}, goSigner)

	witnessFile := filepath.Join(work, "witness.key")
	os.Remove(witnessFile)
	witnessVkey, ok := hregOK("", "tlog", "key", "generate", "witness.example/w1", "--cosigner", "--out", witnessFile)
	if !ok {
		return
	}
	witnessVkey = strings.TrimSuffix(witnessVkey, "\n")
	const when = 1780000000
	cosigned, ok := hregOK("", "tlog", "cosign", "--key", witnessFile, "--time", strconv.Itoa(when),
		writeFile("tree.note", string(signed), 0644))
	if !ok {
		return
	}
	n, err := note.Open([]byte(cosigned), note.VerifierList(goVerifier))
	if err != nil || len(n.Sigs) != 1 || len(n.UnverifiedSigs) != 1 {
		failf("Go's note.Open of hreg's cosigned note: %v", err)
		return
	}
	if parsed, err := tlog.ParseTree([]byte(n.Text)); err != nil || parsed != tree {
		failf("Go's ParseTree of the cosigned note: %v", err)
	}
	checkCosignatureLine(n.Text, n.UnverifiedSigs[0], witnessVkey, when)

	var report struct {
		Checkpoint struct {
			Origin     string `json:"origin"`
			TreeSize   int64  `json:"treeSize"`
			RootBase64 string `json:"rootBase64"`
		} `json:"checkpoint"`
	}
	if hregJSON(&report, "", "tlog", "verify", "--key", goVkey, "--key", witnessVkey, writeFile("cosigned.note", cosigned, 0644)) {
		c := report.Checkpoint
		if c.Origin != "go.sum database tree" || c.TreeSize != tree.N || c.RootBase64 != tree.Hash.String() {
			failf("hreg reads the tree note as %+v, Go as %+v", c, tree)
		}
	}
}

// checkCosignatureLine verifies one cosignature/v1 signature from first principles: the key hash is
// SHA-256(name || "\n" || 0x04 || public key)[:4], the signature is over
// "cosignature/v1\ntime <t>\n" || checkpoint, and the line carries key hash || time || signature.
func checkCosignatureLine(checkpoint string, sig note.Signature, vkey string, when uint64) {
	parts := strings.SplitN(vkey, "+", 3)
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if len(parts) != 3 || err != nil || len(raw) != 33 || raw[0] != 0x04 {
		failf("hreg's cosigner verifier key %q is not name+hash+base64(0x04 || key)", vkey)
		return
	}
	pub := ed25519.PublicKey(raw[1:])
	h := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	wantHash := binary.BigEndian.Uint32(h[:4])
	line, err := base64.StdEncoding.DecodeString(sig.Base64)
	if err != nil || len(line) != 4+8+64 {
		failf("the cosignature line %q is not base64 of key hash, time and signature", sig.Base64)
		return
	}
	if sig.Name != parts[0] || sig.Hash != wantHash || fmt.Sprintf("%08x", wantHash) != parts[1] {
		failf("the cosignature names %s/%08x; the key is %s/%08x", sig.Name, sig.Hash, parts[0], wantHash)
	}
	if got := binary.BigEndian.Uint64(line[4:12]); got != when {
		failf("the cosignature's time is %d, not %d", got, when)
	}
	msg := fmt.Sprintf("cosignature/v1\ntime %d\n%s", when, checkpoint)
	if !ed25519.Verify(pub, []byte(msg), line[12:]) {
		failf("the cosignature does not verify as C2SP tlog-cosignature says")
	}
}
