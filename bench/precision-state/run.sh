#!/bin/sh
# Prepare nova (when absent), run RG101-RG103 over its tests, and count: bench/precision-state/run.sh NAME [pytest args]
# Writes /tmp/prec-state/NAME.txt, NAME.sarif, NAME.sites.tsv and NAME.sample.txt (25 sites per rule, seed 13).
# EXTRA='gate-inherited = true' (lines for [tool.reviewgate]) runs once with them, then restores pyproject.toml.
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-$here/../../.venv/bin/python}
name=${1:?name of the run}; shift
root=${ROOT:-/tmp/prec-state/nova}  # another suite: prepare.py --package neutron --base ... --out ROOT
[ -d "$root" ] || "$python" "$here/prepare.py" --out "$root"
cd "$root"
cp pyproject.toml pyproject.toml.orig
trap 'mv pyproject.toml.orig pyproject.toml' EXIT
[ -z "$EXTRA" ] || printf '%s\n' "$EXTRA" >> pyproject.toml
"$python" -m pytest -p reviewgate --reviewgate-only -q -p no:cacheprovider -rf \
    --reviewgate-sarif "/tmp/prec-state/$name.sarif" "$@" > "/tmp/prec-state/$name.txt" 2>&1 || true
tail -n 12 "/tmp/prec-state/$name.txt" | grep -v "^FAILED"
"$python" "$here/measure.py" "/tmp/prec-state/$name.txt" "/tmp/prec-state/$name.sarif" "$root"
