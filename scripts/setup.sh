#!/usr/bin/env bash
# Installs what building, running and testing EndUse needs on a Debian/Ubuntu machine, and only that:
# every step first checks whether its result is already there, so a second run takes about a second.
# Non-interactive throughout (CI runs it as root with no stdin).
#
#   scripts/setup.sh            system packages, tauri-driver, npm packages
#   scripts/setup.sh --no-e2e   skip what only the end-to-end tests need (Xvfb, drivers)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

E2E=1
[[ "${1:-}" == "--no-e2e" ]] && E2E=0

say() { printf '\033[1;34msetup:\033[0m %s\n' "$*" >&2; }

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi

# Tauri's build dependencies (see shared/TAURI-LINUX.md) and the tools the e2e harness uses.
BUILD_PKGS=(libwebkit2gtk-4.1-dev build-essential curl wget file pkg-config libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  # Customer names come in any script: without CJK fonts WebKit draws Chinese names as boxes.
  # Letters set Simplified Chinese in Noto Serif CJK SC and Traditional in Noto Serif CJK TC from
  # this package (crates/letters/src/cjk.rs; without it they fall back to the embedded Droid font).
  fonts-noto-cjk
  # The letter tests read the PDFs' text and fonts with pdftotext and pdffonts.
  poppler-utils)
E2E_PKGS=(xvfb webkit2gtk-driver imagemagick x11-utils locales)
# The team hub's tests: a throwaway PostgreSQL cluster (scripts/pg.sh) and openssl for a test CA.
TEST_PKGS=(postgresql openssl)

missing_pkgs() {
  local p
  for p in "$@"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
      echo "$p"
    fi
  done
}

install_system_packages() {
  local wanted=("${BUILD_PKGS[@]}")
  [[ $E2E -eq 1 ]] && wanted+=("${E2E_PKGS[@]}" "${TEST_PKGS[@]}")
  local missing
  mapfile -t missing < <(missing_pkgs "${wanted[@]}")
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if ! command -v apt-get >/dev/null; then
    say "missing system packages (${missing[*]}) and no apt-get: install them by hand"
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q </dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

check_toolchains() {
  if ! command -v cargo >/dev/null; then
    say "cargo not found: install Rust (rustup) first"
    exit 1
  fi
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "node/npm not found: install Node.js 20.19+ first"
    exit 1
  fi
  local v major minor
  v=$(node -p 'process.versions.node')
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  if ((major < 20 || (major == 20 && minor < 19))); then
    say "node $v is too old: vite 8 needs 20.19 or newer"
    exit 1
  fi
}

# tauri-driver bridges WebDriver to WebKitWebDriver. 2.1.0 exactly: 3.0.0-alpha drops tauri:options.
install_tauri_driver() {
  local bin="$ROOT/.tools/bin/tauri-driver"
  if [[ -x "$bin" ]] && "$bin" --help >/dev/null 2>&1; then
    return 0
  fi
  say "installing tauri-driver 2.1.0 into .tools/"
  # A target dir of its own: CARGO_TARGET_DIR may point at the workspace's, which this would dirty.
  CARGO_TARGET_DIR="$ROOT/.tools/build" cargo install tauri-driver@2.1.0 --locked --root "$ROOT/.tools" -q
  rm -rf "$ROOT/.tools/build"
}

# npm ci only when node_modules is absent or the lockfile changed since the last install.
install_npm_packages() {
  local stamp="ui/node_modules/.enduse-lock.sha256"
  local want
  want=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  say "installing npm packages (npm ci)"
  # npm 11 here may record other platforms' optional packages (tauri-cli, resolver bindings)
  # without an entry, and then `npm ci` refuses the lockfile as out of sync; `npm install` with
  # the same lockfile installs the same versions.
  (cd ui && { npm ci --no-audit --no-fund --loglevel=error </dev/null 2>/dev/null ||
    npm install --no-audit --no-fund --loglevel=error </dev/null; })
  echo "$want" >"$stamp"
}

# The languages e2e starts the app on a Chinese OS (LANG=zh_TW.UTF-8, zh_CN.UTF-8). WebKit reads the
# language through setlocale, which falls back to C for a locale that was never generated.
install_chinese_locales() {
  local l
  for l in zh_CN zh_TW; do
    locale -a 2>/dev/null | grep -qix "${l}.utf8" && continue
    say "generating the ${l}.UTF-8 locale"
    $SUDO localedef -i "$l" -f UTF-8 "${l}.UTF-8"
  done
}

install_system_packages
check_toolchains
[[ $E2E -eq 1 ]] && install_chinese_locales
[[ $E2E -eq 1 ]] && install_tauri_driver
install_npm_packages
