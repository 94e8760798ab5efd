#!/bin/sh
# Builds openapi.go offline, in GOPATH mode against Debian's kin-openapi sources
# (golang-github-getkin-kin-openapi-dev and what it depends on), into BUILD_DIR, and checks the
# recorded exchanges against the OpenAPI document.
# Usage: run-openapi.sh GO BUILD_DIR SPEC [-all-operations] EXCHANGES...
set -eu
go="$1"
out="$2"
shift 2
src="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
# No network and no module proxy: every import is in the standard library or /usr/share/gocode.
export GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off GOENV=off GOTOOLCHAIN=local
export GOCACHE="$out/go-cache"
cd "$src"
"$go" build -o "$out/openapi" .
spec="$1"
shift
exec "$out/openapi" -spec "$spec" "$@"
