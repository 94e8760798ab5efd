#!/usr/bin/env bash
# Hypercore replication peer benchmark: bench/hypercore/run.sh [--blocks N] [--size S]
# Installs the pinned npm dependencies on first use, then runs replicate.mjs
# and forwards its one JSON line (stdout) and its exit status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install nodejs and npm: sudo apt-get install -y nodejs npm" >&2
  exit 2
fi

if [ ! -d "$here/node_modules" ]; then
  # npm's progress goes to stderr so stdout stays the benchmark's JSON line.
  (cd "$here" && npm ci --no-audit --no-fund 1>&2)
fi

exec node "$here/replicate.mjs" "$@"
