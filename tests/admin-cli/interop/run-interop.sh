#!/bin/sh
# Builds interop.go and trees.go offline, in GOPATH mode against Debian's golang.org/x/mod sources
# (golang-golang-x-mod-dev), into BUILD_DIR and runs it against the hreg binary.
# Usage: run-interop.sh GO HREG BUILD_DIR
set -eu
go="$1"
hreg="$2"
out="$3"
src="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
# No network and no module proxy: every import is in the standard library or /usr/share/gocode.
export GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off GOENV=off GOTOOLCHAIN=local
export GOCACHE="$out/go-cache"
cd "$src"
"$go" build -o "$out/interop" .
exec "$out/interop" -hreg "$hreg"
