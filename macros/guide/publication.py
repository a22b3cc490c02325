"""A failed build never touches the published site: `mkdocs build` writes into a fresh sibling folder,
which replaces the site folder only once the build has succeeded.

MkDocs empties `site_dir` at the start of every build, before a single page is converted; a fiche
that breaks the build (or a strict-mode warning, counted only at the very end) would leave an empty
or half-written site behind. Here the hooks send the build elsewhere (`preparer`, from on_config),
note that every page was written (`construit`, from on_post_build) or that the build failed (`echec`, from
on_build_error, which MkDocs calls for strict-mode warnings too), and swap the folders when the command
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

# State of one `mkdocs build` command (this module is imported once per process).
_actif = False                 # `mkdocs build` without --dirty
_cible: Path | None = None     # the site folder asked for (-d or site_dir)
_chantier: Path | None = None  # the fresh folder the build writes into
_construit = False             # on_post_build reached: every file written
_echec = False


def commencer(command: str, dirty: bool) -> None:
    """Once per MkDocs command (on_startup)."""
    global _actif, _cible, _chantier, _construit, _echec
    _actif, _cible, _chantier, _construit, _echec = command == "build" and not dirty, None, None, False, False


def preparer(config) -> None:
    """Send the build into a fresh folder beside the site folder (same file system: the swap is a rename)."""
    global _cible, _chantier
    if not _actif or _chantier is not None:
        return
    _cible = Path(config["site_dir"])
    _cible.parent.mkdir(parents=True, exist_ok=True)
    _chantier = Path(tempfile.mkdtemp(prefix=f".{_cible.name}.construction-", dir=_cible.parent))
    config["site_dir"] = str(_chantier)


def construit() -> None:
    """Every page and file is written (on_post_build); MkDocs may still fail on strict-mode warnings."""
    global _construit
    _construit = True


def echec() -> None:
    """The build failed (on_build_error): the site folder stays as it was."""
    global _echec
    _echec = True


def terminer() -> None:
    """When the command ends (on_shutdown): publish the new folder if the build succeeded, else drop it."""
    global _chantier
    if _chantier is None:
        return
    chantier, _chantier = _chantier, None
    if _echec or not _construit or _cible is None:
        shutil.rmtree(chantier, ignore_errors=True)
        if _cible is not None:
            log.error("Construction interrompue : le site de %s n'a pas été modifié.", _cible)
        return
    _remplacer(_cible, chantier)


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
