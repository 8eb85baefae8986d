#!/usr/bin/env bash
# Sets up everything on a fresh machine and builds the sample story.
#   bash setup.sh                 install, then build out/ (HTML and PDF, both languages)
#   bash setup.sh --install-only  install only (used by CI before the tests)
set -euo pipefail
cd "$(dirname "$0")"

install_only=false
[ "${1:-}" = "--install-only" ] && install_only=true

# System libraries: WeasyPrint needs Pango; GNU gettext's msgfmt validates
# catalogs in the tests; HarfBuzz's subset library makes font subsetting in
# PDFs much faster; Chromium and its driver run the live preview's browser
# test (tests/test_serve.py, headless). Installed when we can (root with apt),
# otherwise reported.
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext chromium chromium-driver; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "warning: could not install ${missing[*]}; continuing" >&2
  fi
else
  command -v msgfmt >/dev/null 2>&1 || echo "note: GNU gettext (msgfmt) is missing; the catalog tests need it" >&2
  [ -x /usr/bin/chromedriver ] || echo "note: chromium and chromium-driver are missing; the preview's browser test will skip" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"

if [ "$install_only" = false ]; then
  .venv/bin/pipeline build
fi
