#!/usr/bin/env bash
# Installs the real `pact` CLI (PyPI package pact-python-cli, which bundles the Rust broker
# client, mock server and verifier) into a virtualenv, for the compatibility tests in
# tests/e2e/pact_cli.rs and tests/e2e/round_trip.rs.
#
# The virtualenv is ${TREATY_PACT_VENV:-target/pact-venv} (relative paths are taken from the
# repository root). Running it again is a no-op when that venv already has the right version.
set -euo pipefail

readonly PACT_CLI_VERSION='1!0.10.9'
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv="${TREATY_PACT_VENV:-target/pact-venv}"
export PACT_DO_NOT_TRACK=true
export PIP_DISABLE_PIP_VERSION_CHECK=1

installed_version() {
  "$venv/bin/python" -m pip show pact-python-cli 2>/dev/null | sed -n 's/^Version: //p'
}

if [[ -x "$venv/bin/pact" && "$(installed_version)" == "$PACT_CLI_VERSION" ]]; then
  echo "pact CLI $PACT_CLI_VERSION already installed in $venv"
  exit 0
fi

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null; then
  echo "install-pact-cli: $python not found; install Python 3 (with venv) or set PYTHON" >&2
  exit 1
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet "pact-python-cli==$PACT_CLI_VERSION"
"$venv/bin/pact" broker publish --help >/dev/null
echo "installed pact CLI $PACT_CLI_VERSION in $venv"
