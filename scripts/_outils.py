"""What the editors' scripts say when run by a Python that lacks the guide's tools: the system's `python3` rather than
`.venv/bin/python` (editor QA: `python3 scripts/valider.py` ended on an English traceback, « No module named 'icu' »).
Outside the guide's package, whose first import is already one of those tools."""
from __future__ import annotations

import sys
from pathlib import Path


def manquent(exc: ImportError, script: str):
    """Stop with the French message naming the missing module and the command to run instead."""
    sys.exit(f"✗ Il manque les outils du guide ({exc.name or exc}) à ce Python ({sys.executable}). Lancez une fois "
             f"./scripts/servir.sh, puis : .venv/bin/python scripts/{Path(script).name}")
