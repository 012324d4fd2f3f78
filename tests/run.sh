#!/usr/bin/env bash
# The project's one test command (README shows it; .ci/run calls it).
# It installs what the tests need when missing: Debian packages through
# apt-get, the project with its dev extras in .venv; then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# program:package (or /path/of/a/file:package) pairs: what the tests drive or read.
APT_NEEDS=(
  "soffice:libreoffice-writer-nogui"
  "/usr/lib/libreoffice/share/.registry/impress.xcd:libreoffice-impress-nogui"
  "pdftotext:poppler-utils"
  "pdftoppm:poppler-utils"
  "qpdf:qpdf"
  "fc-match:fontconfig"
  "redis-server:redis-server"
  "pdffonts:poppler-utils"
  "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf:fonts-liberation2"
  "chromium:chromium"
  "npm:npm"
)
missing=()
for pair in "${APT_NEEDS[@]}"; do
  need=${pair%:*}
  if [[ $need == /* ]]; then [ -e "$need" ] && continue; else command -v "$need" >/dev/null 2>&1 && continue; fi
  missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "run.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
  else
    echo "run.sh: missing ${missing[*]}; install them (apt-get install ...) or tests will skip" >&2
  fi
fi

# axe-core, which the browser test of the web page runs (tests/package.json).
if [ ! -d tests/node_modules/axe-core ] && command -v npm >/dev/null; then
  (cd tests && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || echo "run.sh: npm ci in tests/ failed" >&2
fi

VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
stamp="$VENV/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
# Lint and types first: pyflakes-level checks and mypy over converter/ (pyproject configures both).
"$VENV/bin/ruff" check --quiet converter tests benchmarks
"$VENV/bin/mypy" --no-error-summary
# Bytecode caches (__pycache__, ignored by git) even where PYTHONDONTWRITEBYTECODE is set:
# else each of the dozens of `converter` processes the tests start, and each worker's
# collection, compiles the package and the tests anew.
unset PYTHONDONTWRITEBYTECODE
# On every core (pytest-xdist; PYTEST_XDIST_AUTO_NUM_WORKERS=N sets how many, -n 0 runs in
# one process): loadgroup keeps the modules marked xdist_group on one worker each.
exec "$VENV/bin/python" -m pytest -n auto --dist loadgroup "$@"
