"""Where the guide's own files are, from this package's place in the repository (macros/guide/): the
default project root, its templates, schemas and authored pages. The plugin builds the project of its
mkdocs.yml (its `racine`), which is this one unless a test or the benchmark copies the project elsewhere."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "macros" / "templates"
SCHEMAS = ROOT / "fiches" / "schemas"
DOCS = ROOT / "docs"
