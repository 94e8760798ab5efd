#!/usr/bin/env bash
# bench/replication.sh [--entries N]: the node's replication beside Hypercore's, on this machine, in
# one run. hreg: a county's log of N entries replicated to its prefecture by real hreg-node processes
# (bench/replication-bench.cpp); Hypercore: N blocks of the same size replicated between two cores
# over loopback TCP (bench/hypercore/). Prints both JSON lines and the ratio. Results:
# docs/performance.md, "Replication".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
entries=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --entries) entries="$2"; shift 2 ;;
    *) echo "usage: bench/replication.sh [--entries N]" >&2; exit 2 ;;
  esac
done
source "$root/scripts/lib.sh"
hreg_build "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2

ours="$("$root/build/release/bench/hreg-replication-bench" --entries "$entries" --json)"
echo "$ours"
size="$(echo "$ours" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entry_bytes"])')"
theirs="$("$root/bench/hypercore/run.sh" --blocks "$entries" --size "$size")"
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"hreg {ours['entries_per_second']:.0f} entries/s ({ours['ratio_to_ceiling']:.2f}x of the ingest ceiling "
      f"{ours['ingest_ceiling_per_second']:.0f}/s); Hypercore {theirs['version']} {theirs['blocks_per_second']:.0f} "
      f"blocks/s ({theirs['blocks_per_second'] / ours['ingest_ceiling_per_second']:.2f}x); "
      f"hreg / Hypercore = {ours['entries_per_second'] / theirs['blocks_per_second']:.2f}")
PY
