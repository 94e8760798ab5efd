# scripts/lib.sh: shared by scripts/demo and scripts/test. Installs the Debian 12 packages hreg
# builds with (only those missing), then configures and builds one build tree.
# Usage (sourced): hreg_build BUILD_DIR [extra cmake args...]
set -euo pipefail

HREG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Every dependency, by Debian 12 package name. Keep in step with docs/architecture.md.
HREG_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  capnproto libcapnp-dev          # schemas and canonical encoding (0.9)
  libboost-dev                    # Boost.Outcome, Asio, Beast (1.74)
  libsodium-dev                   # Ed25519 (1.0.18)
  liblmdb-dev                     # the store (0.9.24)
  libssl-dev                      # SHA-256 with the CPU's SHA extensions, TLS
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libqrencode-dev
  libpng-dev                      # plaque QR codes written as PNG (admin-cli/qr.cpp; 1.6)
  zbar-tools                      # tests/admin-cli/qr-test.cpp decodes the codes hreg makes with zbarimg
  golang-go golang-golang-x-mod-dev   # tests/admin-cli/interop: Go sumdb/note and sumdb/tlog (1.19, x/mod 0.7.0)
  golang-github-getkin-kin-openapi-dev  # tests/node/openapi: docs/openapi.yaml checked against real answers (0.110)
  chromium nodejs                 # tests/web: the plaque check page in headless Chromium, driven from Node.js (18)
)

hreg_install_packages() {
  local missing=()
  for p in "${HREG_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "hreg: installing missing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq || echo "hreg: apt-get update failed; trying the install with the current package lists" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

# hreg_install_web_tests installs npm when there is none (Debian's nodejs 18 ships without it; other
# nodejs builds bring their own, and Debian's npm would conflict with them), then the pinned
# playwright-core of tests/web (package-lock.json) into tests/web/node_modules, once.
hreg_install_web_tests() {
  if ! command -v npm >/dev/null; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm
  fi
  [ -f "$HREG_ROOT/tests/web/node_modules/playwright-core/package.json" ] ||
    (cd "$HREG_ROOT/tests/web" && npm ci --no-audit --no-fund)
}

hreg_build() {
  local dir="$1"; shift
  hreg_install_packages
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$HREG_ROOT" -B "$dir" -G Ninja "$@"
  fi
  cmake --build "$dir" --parallel "$(nproc)"
}
