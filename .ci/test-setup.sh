#!/usr/bin/env bash
# The tests' machine set-up, run by `./mvnw verify` itself (the parent pom binds it to the validate
# phase), so the README's test command works on a fresh Debian machine: installs the Debian
# packages the tests need when they are missing, and says so in one line. Changes nothing when all
# are there. `--dry-run`: say what is missing and let apt-get simulate the install (`-s`) only.
# Skipped with -DskipTests or -Dvigia.testSetup.skip.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use:
#   chromium, chromium-driver   the browser test drives Debian's headless Chromium (no download)
#   fonts-noto-color-emoji      the page's 🧹 button, which is a box in screenshots without it
PACKAGES=(chromium chromium-driver fonts-noto-color-emoji)

dry_run=""
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "test set-up: not a Debian machine, installing nothing; the tests need ${PACKAGES[*]}" \
    "(or your system's equivalents), PostgreSQL's server binaries and Node.js 20+ with npm"
  exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]; then
    missing+=("$pkg")
  fi
done
# the PostgreSQL store's tests start a throwaway server from the machine's binaries unless
# VIGIA_TEST_PG_URL names a server: Debian's postgresql package brings them
if [ -z "${VIGIA_TEST_PG_URL:-}" ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
    && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
# the Baileys engine's tests run the real Node.js bridge and install Baileys with npm
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "test set-up: nothing to install (${PACKAGES[*]}, node, npm and PostgreSQL's binaries are present)"
else
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    elif [ -z "$dry_run" ]; then
      echo "test set-up: cannot install ${missing[*]} (not root, no sudo): run" \
        "'apt-get install ${missing[*]}' as root; the tests that need them will fail" >&2
      exit 0
    fi
  fi
  mkdir -p target
  log=target/test-setup-apt.log
  export DEBIAN_FRONTEND=noninteractive
  if [ -n "$dry_run" ]; then
    echo "test set-up (dry run): would install ${missing[*]} with apt-get; simulating, see $log"
    apt-get install -s -y "${missing[@]}" >"$log" 2>&1 \
      || { echo "test set-up: apt-get cannot install ${missing[*]} (see $log)" >&2; exit 1; }
  else
    echo "test set-up: installing ${missing[*]} with apt-get (Debian packages the tests need; log: $log)"
    { "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q "${missing[@]}"; } \
      >"$log" 2>&1 \
      || { echo "test set-up: installing ${missing[*]} failed; the end of $log:" >&2
           tail -n 20 "$log" >&2; exit 1; }
  fi
fi

if [ -z "$dry_run" ] && command -v node >/dev/null 2>&1; then
  node_major="$(node --version | sed -E 's/^v([0-9]+).*/\1/')"
  if [ "$node_major" -lt 20 ]; then
    echo "test set-up: Node.js $(node --version) is too old: the Baileys engine needs 20 or newer" >&2
    exit 1
  fi
fi
