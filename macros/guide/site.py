"""The guide of the current build, shared by the MkDocs hooks and the mkdocs-macros module.

Both are loaded by MkDocs from different places; this module is the one place
they meet, so the fiches are loaded and joined once per build, not once per page.
"""
from __future__ import annotations

from pathlib import Path

from . import ROOT, Guide, build_guide, referentiel
from .render import Renderer

_current: Guide | None = None
_renderer: Renderer | None = None


def load(root: Path = ROOT) -> Guide:
    """Build the guide of the project at `root` for a new build (raises GuideInvalide on bad fiches)."""
    global _current
    guide = build_guide(root)
    referentiel.requis(guide)  # no site without the official data of its territories
    _current = guide
    return _current


def current() -> Guide:
    if _current is None:
        return load()
    return _current


def changements():
    """Fiches and data files changed since the previous build of this process (guide.changements)."""
    from . import changements
    return changements


def renderer() -> Renderer:
    """The Jinja environment of the current build: each template is compiled once per build."""
    global _renderer
    guide = current()
    if _renderer is None or _renderer.guide is not guide:
        _renderer = Renderer(guide)
    return _renderer
