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
# test and the accessibility test (headless); Java runs the Nu Html Checker
# and npm installs it and axe-core (below). Installed when we can (root with
# apt), otherwise reported.
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext chromium chromium-driver; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  # By command, not package: Java or Node.js installed another way (a JDK,
  # NodeSource's nodejs, which bundles npm) must not get Debian's as well.
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "warning: could not install ${missing[*]}; continuing" >&2
  fi
else
  command -v msgfmt >/dev/null 2>&1 || echo "note: GNU gettext (msgfmt) is missing; the catalog tests need it" >&2
  [ -x /usr/bin/chromedriver ] || echo "note: chromium and chromium-driver are missing; the browser tests will skip" >&2
  command -v java >/dev/null 2>&1 || echo "note: Java is missing; the HTML validity test will skip" >&2
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# Every version pinned (constraints.txt): a fresh machine installs what the
# suite passed with, not whatever was released this morning.
.venv/bin/python -m pip install --quiet -c constraints.txt pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev,distributed]"

# The checkers the tests run on the built pages: the Nu Html Checker
# (vnu-jar) and axe-core, at the exact versions of package-lock.json, into
# tests/validators/node_modules (ignored by git). --ignore-scripts: vnu-jar's
# install script would download a Java runtime; the system's Java runs it.
if command -v npm >/dev/null 2>&1; then
  (cd tests/validators && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
else
  echo "note: npm is missing; the HTML validity and accessibility tests will skip" >&2
fi

if [ "$install_only" = false ]; then
  .venv/bin/pipeline build
fi
