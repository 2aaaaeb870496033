#!/usr/bin/env bash
# Installs what uisan builds and tests with on Debian bookworm (run as root).
# The package list lives in .ci/packages.txt, one package a line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
grep -v -e '^#' -e '^[[:space:]]*$' "$here/packages.txt" |
  xargs apt-get install -y -qq --no-install-recommends >/dev/null
echo "uisan: dependencies installed"
