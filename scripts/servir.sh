#!/usr/bin/env bash
# Construit le guide et le sert sur http://127.0.0.1:8000 (rechargé à chaque modification d'une fiche).
# Usage : ./scripts/servir.sh            (servir)
#         ./scripts/servir.sh build      (construire seulement, dans site/)
source "$(dirname "$0")/_env.sh"
install_requirements requirements.txt
install_plugin
install_npm
if [ "${1:-serve}" = "build" ]; then
  exec .venv/bin/mkdocs build --strict
fi
# --dirty: after a fiche is saved, its page is rebuilt first, then the whole site (macros/guide/construction/apercu.py).
# fiches/ is then watched by the system's file events; `--watch fiches` is MkDocs' polling, kept where there are none.
exec .venv/bin/mkdocs serve --dirty --strict --watch fiches --watch macros -a "${ADRESSE:-127.0.0.1:8000}"
