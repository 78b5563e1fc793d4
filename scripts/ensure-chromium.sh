#!/usr/bin/env bash
# Element and end-to-end tests drive Debian's Chromium. Install it when it is missing.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$bin" ]]; then exit 0; fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Chromium is missing at $bin and this user cannot install it: run 'sudo apt-get install -y chromium' or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "Installing Debian's chromium (needed by the element and end-to-end tests)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
