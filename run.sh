#!/usr/bin/env bash
# One entry point that sets up the project's own environment (from uv.lock) and runs a job:
#   bash run.sh refresh     full refresh into $HLED_HOME/warehouse.duckdb plus chart exports
#   bash run.sh test        the test suite (what CI runs), on TEST_WORKERS (default 3) processes
#   bash run.sh bench       the benchmarks
#   bash run.sh <hled args> any other hled command, e.g. bash run.sh charts --lang es
set -euo pipefail
cd "$(dirname "$0")"

UV_VERSION=0.13.9
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
TOOLS=.tools

if [ ! -x "$TOOLS/bin/uv" ]; then
    echo "setting up uv $UV_VERSION in $TOOLS/ ..." >&2
    "$PYTHON" -m venv "$TOOLS" || {
        echo "error: '$PYTHON -m venv' failed; on Debian install python3.11-venv" >&2; exit 1; }
    "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
# compile bytecode at install: this environment may set PYTHONDONTWRITEBYTECODE, and without
# .pyc files every process spends ~10 s compiling Great Expectations and Prefect on import
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 UV_COMPILE_BYTECODE=1
"$TOOLS/bin/uv" sync --frozen --quiet --python "$PYTHON"

cmd=${1:-refresh}
[ $# -gt 0 ] && shift
case "$cmd" in
    test)  exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-3}" "$@" ;;  # two cores + the serve test, which mostly waits
    bench) exec .venv/bin/python -m benchmarks.run "$@" ;;
    *)     exec .venv/bin/hled "$cmd" "$@" ;;
esac
