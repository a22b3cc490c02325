"""A failed build never touches the published site: `mkdocs build` writes into a fresh sibling folder,
which replaces the site folder only once the build has succeeded.

MkDocs empties `site_dir` at the start of every build, before a single page is converted; a fiche
that breaks the build (or a strict-mode warning, counted only at the very end) would leave an empty
or half-written site behind. Here the plugin sends the build elsewhere (`preparer`, from on_config),
notes that every page was written (`construit`, from on_post_build) or that the build failed (`echec`, from
on_build_error, which MkDocs calls for strict-mode warnings too), and swaps the folders when the command
ends (`terminer`, from on_shutdown, after MkDocs' last check). A build stopped by Ctrl+C reaches neither
on_post_build nor on_build_error: its folder is dropped too.

Only `mkdocs build` without --dirty is redirected: `mkdocs serve` builds into its own temporary folder
(and the preview of apercu.py rebuilds it in place), and a --dirty build is meant to reuse what is there.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.guide")

class Publication:
    """The publication of one `mkdocs build` command (held by the plugin instance)."""

    def __init__(self):
        self.actif = False                 # `mkdocs build` without --dirty
        self.cible: Path | None = None     # the site folder asked for (-d or site_dir)
        self.chantier: Path | None = None  # the fresh folder the build writes into
        self.reussi = False                # on_post_build reached: every file written
        self.echoue = False

    def commencer(self, command: str, dirty: bool) -> None:
        """Once per MkDocs command (on_startup)."""
        self.actif, self.cible, self.chantier = command == "build" and not dirty, None, None
        self.reussi = self.echoue = False

    def preparer(self, config) -> None:
        """Send the build into a fresh folder beside the site folder (same file system: the swap is a rename)."""
        if not self.actif or self.chantier is not None:
            return
        self.cible = Path(config["site_dir"])
        self.cible.parent.mkdir(parents=True, exist_ok=True)
        self.chantier = Path(tempfile.mkdtemp(prefix=f".{self.cible.name}.construction-", dir=self.cible.parent))
        config["site_dir"] = str(self.chantier)

    def construit(self) -> None:
        """Every page and file is written (on_post_build); MkDocs may still fail on strict-mode warnings."""
        self.reussi = True

    def echec(self) -> None:
        """The build failed (on_build_error): the site folder stays as it was."""
        self.echoue = True

    def terminer(self) -> None:
        """When the command ends (on_shutdown): publish the new folder if the build succeeded, else drop it."""
        if self.chantier is None:
            return
        chantier, self.chantier = self.chantier, None
        if self.echoue or not self.reussi or self.cible is None:
            shutil.rmtree(chantier, ignore_errors=True)
            if self.cible is not None:
                log.error("Construction interrompue : le site de %s n'a pas été modifié.", self.cible)
            return
        _remplacer(self.cible, chantier)


def _remplacer(cible: Path, chantier: Path) -> None:
    """Put `chantier` in place of `cible`: two renames, the old folder removed afterwards."""
    ancien = None
    if cible.exists() or cible.is_symlink():
        ancien = Path(tempfile.mkdtemp(prefix=f".{cible.name}.ancien-", dir=cible.parent))
        try:
            os.replace(cible, ancien / cible.name)
        except OSError:
            # The folder cannot be moved (a mount point, a folder a server holds): its content is swapped instead.
            shutil.rmtree(ancien, ignore_errors=True)
            _vider(cible)
            for child in chantier.iterdir():
                os.replace(child, cible / child.name)
            chantier.rmdir()
            return
    os.replace(chantier, cible)
    os.chmod(cible, 0o755 & ~_umask())  # mkdtemp makes the folder private; a published site is readable
    if ancien is not None:
        shutil.rmtree(ancien, ignore_errors=True)


def _vider(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
