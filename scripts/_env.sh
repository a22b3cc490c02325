# Shared by the scripts: create .venv with Python 3.11 and install a requirements file when it changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NO_MKDOCS_2_WARNING=1
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "→ Création de l'environnement Python (.venv)"
  "$PYTHON" -m venv .venv
fi
install_debian() {
  # Debian packages named as arguments, installed with apt-get when one is missing.
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "→ Installation de ${missing[*]} (apt-get)"
    local SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
install_requirements() {
  local req="$1" stamp=".venv/.installed-$(basename "$1")"
  if [ "$req" != requirements.txt ]; then install_requirements requirements.txt; fi  # included by the others
  if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
    # PyICU (Unicode TR39 confusables, macros/guide/caracteres.py) is built against Debian's ICU.
    install_debian libicu-dev pkg-config g++
    echo "→ Installation des dépendances ($req)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
  fi
}
install_plugin() {
  # The guide's MkDocs plugin (pyproject.toml, macros/guide/), editable: installed again when pyproject.toml changed.
  if [ ! -f .venv/.installed-pyproject.toml ] || ! cmp -s pyproject.toml .venv/.installed-pyproject.toml; then
    echo "→ Installation du plugin du guide (pyproject.toml)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    cp pyproject.toml .venv/.installed-pyproject.toml
  fi
}
install_npm() {
  # npm packages of package-lock.json into node_modules/ (official codes, map outlines, Decap CMS, esbuild,
  # axe-core): installed again only when the lock file changed.
  if ! command -v npm >/dev/null 2>&1; then
    echo "→ Installation de npm (apt-get)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
  if [ ! -f node_modules/.installed-package-lock.json ] || ! cmp -s package-lock.json node_modules/.installed-package-lock.json; then
    echo "→ Installation des dépendances npm (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.installed-package-lock.json
  fi
}
