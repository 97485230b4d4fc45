#!/usr/bin/env bash
# Installs schemathesis (PyPI) into a virtualenv, for tests/e2e/schemathesis.rs, which runs it
# against the broker's OpenAPI description on both backends.
#
# The virtualenv is ${TREATY_SCHEMATHESIS_VENV:-target/schemathesis-venv} (relative paths are
# taken from the repository root). Running it again is a no-op when the right version is there.
set -euo pipefail

readonly SCHEMATHESIS_VERSION='4.32.5'
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
venv="${TREATY_SCHEMATHESIS_VENV:-target/schemathesis-venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

installed_version() {
  "$venv/bin/python" -m pip show schemathesis 2>/dev/null | sed -n 's/^Version: //p'
}

if [[ -x "$venv/bin/st" && "$(installed_version)" == "$SCHEMATHESIS_VERSION" ]]; then
  echo "schemathesis $SCHEMATHESIS_VERSION already installed in $venv"
  exit 0
fi

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null; then
  echo "install-schemathesis: $python not found; install Python 3 (with venv) or set PYTHON" >&2
  exit 1
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
"$venv/bin/st" --version >/dev/null
echo "installed schemathesis $SCHEMATHESIS_VERSION in $venv"
