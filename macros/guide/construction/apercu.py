"""Preview under `mkdocs serve --dirty` (scripts/servir.sh): the page of a saved fiche first.

MkDocs rebuilds the whole site after every change; at 2,000 fiches an editor would wait half a
minute to see the fiche they saved. Under --dirty, MkDocs asks each page whether it must be rebuilt
(`File.is_modified`), and the guide answers from what the build found changed (guide.changements):

- after territory fiches changed, and nothing else: their pages and the pages of the territories
  that share their actions (coporteurs); the editor sees the change within a couple of seconds;
- then, on its own, a complete build refreshes what gathers many fiches (champ pages, indexes, matrix,
  printed sections, search index, open data): the preview touches a file that `mkdocs serve` watches.

Any other change (a champ fiche, sources, acronyms, a page of docs/, a template) and the first build
are complete builds. Plain `mkdocs build` and `mkdocs serve` without --dirty never ask.

A --dirty build writes over the previous one and never empties the site folder: the page of a fiche
deleted or renamed would still be served. After each build, the pages the build no longer has are removed
from the served folder (the links to them went with the complete build that a removed fiche causes).
"""
from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path

from guide.join import Guide
from guide.rendu.render import url_de

class Apercu:
    """The preview of one `mkdocs serve` process (held by the plugin instance, which MkDocs keeps between
    the builds of a `mkdocs serve`)."""

    def __init__(self):
        self.actif = False                   # `mkdocs serve --dirty`
        self.pages_a_refaire: set[str] | None = None  # source paths of the pages this build redoes; None: all
        self.relance: Path | None = None     # file watched by mkdocs serve, touched to ask for the complete build
        self.site: Path | None = None        # the folder mkdocs serve serves
        self.pages: set[str] = set()         # source paths of the pages of the current build (asked by MkDocs)
        self.servies: set[str] = set()       # ... and of the previous one

    def demarrer(self, command: str, dirty: bool) -> None:
        """Once per MkDocs command: the preview only works under `mkdocs serve --dirty`."""
        self.actif = command == "serve" and dirty
        if self.actif:
            logging.getLogger("mkdocs.commands.build").addFilter(_sans_avertissement_dirty)

    def preparer(self, guide: Guide, changements: list[Path] | None) -> None:
        """Decide, at the start of a build, which pages it redoes."""
        self.pages_a_refaire = None
        if not self.actif or self.relance is None or not changements:
            return
        pages = set()
        for path in changements:
            territoire = guide.territoires.get(path.stem)
            if path.parent.name != "territoires" or territoire is None:
                return  # not a territory fiche, or a fiche removed: everything may depend on it
            pages.add(territoire.src)
            pages |= {guide.territoires[c].src for a in territoire.actions for c in a.data.get("coporteurs", [])}
            pages |= {a.territoire.src for a in territoire.actions_partagees}
        self.pages_a_refaire = pages

    def partielle(self) -> bool:
        """Whether this build only redoes the pages of edited fiches (what gathers every fiche can wait)."""
        return self.pages_a_refaire is not None

    def a_refaire(self, src: str) -> bool:
        """Whether the page of this source path is rebuilt by the current build (asked under --dirty only, for
        every page of the build)."""
        self.pages.add(src)
        return self.pages_a_refaire is None or src in self.pages_a_refaire

    def surveiller(self, server) -> None:
        """Under `mkdocs serve --dirty`: watch the file whose change asks for the complete build."""
        if not self.actif:
            return
        self.site = Path(server.root)
        self.relance = Path(tempfile.mkdtemp(prefix="guide-apercu-")) / "relance"
        self.relance.touch()
        server.watch(str(self.relance))

    def apres_construction(self) -> None:
        """After a partial build, ask for the complete one (once the browser has reloaded the edited page).
        After any build under --dirty, remove the pages of the previous build that this one no longer has."""
        if self.actif and self.pages:
            if self.site is not None:
                for src in self.servies - self.pages:
                    _retirer(self.site / url_de(src))
            self.servies = set(self.pages)
            self.pages.clear()
        if self.pages_a_refaire is not None and self.relance is not None:
            threading.Timer(1.0, self.relance.touch).start()


def _sans_avertissement_dirty(record: logging.LogRecord) -> bool:
    # MkDocs warns on every --dirty build that other pages may be stale, which `strict: true` turns into
    # a failure. Here a partial build is always followed by a complete one, so the warning is dropped;
    # every other warning still stops the preview as it stops the build.
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def _retirer(folder: Path) -> None:
    """Remove a page's index.html, and its folder once empty (a renamed fiche leaves no empty folder)."""
    (folder / "index.html").unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass  # holds other files (a page below it): left
