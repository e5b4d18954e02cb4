#!/usr/bin/env bash
# Installs what Keysmith's build, tests, benchmarks and demo need on Debian 12, and nothing
# that is already there. Safe to run again. Used by `make test`, `make bench` and `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  php8.2-cli php8.2-dev php8.2-mysql php8.2-fpm php8.2-curl php8.2-xml php8.2-mbstring php8.2-intl
  libclang-dev clang mariadb-server mariadb-client wordpress phpunit php-codesniffer
  nginx-light chromium wrk ssl-cert openssl ca-certificates curl redis-server php8.2-redis zip unzip
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi


command -v cargo >/dev/null || { echo "install-deps: cargo is missing: install Rust with rustup (https://rustup.rs) and re-run." >&2; exit 1; }

# Node packages for the browser and client end-to-end tests.
if [ -f tests/e2e/package.json ] && { [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package.json -nt tests/e2e/node_modules ]; }; then
  (cd tests/e2e && npm install --no-audit --no-fund --loglevel=error)
  touch tests/e2e/node_modules
fi

# Python clients for the end-to-end tests, in a project-local virtualenv.
if [ -f tests/e2e/requirements.txt ] && { [ ! -x .venv/bin/python ] || [ tests/e2e/requirements.txt -nt .venv ]; }; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/e2e/requirements.txt
  touch .venv
fi
