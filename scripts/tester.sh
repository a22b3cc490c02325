#!/usr/bin/env bash
# Lance tous les tests : validation des fiches, construction du site, tests dans Chromium.
# Installe ce qui manque : dépendances Python (.venv), Chromium, poppler-utils et npm (apt-get), paquets npm (npm ci).
source "$(dirname "$0")/_env.sh"
install_requirements requirements-tests.txt
install_plugin
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "→ Installation de ${missing[*]} (apt-get)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
install_npm
# One process a core, each taking whole test files (their module fixtures are built once); `-n 0` after
# the command runs everything in one process. The slowest tests are listed at the end: the suite is kept
# under 10 minutes.
# One build date for every build of the suite, whichever process makes it and whenever (a build before midnight and
# one after would print different dates): reproducible builds' variable, read by MkDocs and the guide.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}"
exec .venv/bin/python -m pytest -n auto --dist loadfile --durations=15 "$@"
