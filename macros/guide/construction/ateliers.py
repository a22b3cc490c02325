"""Territory pages converted by other processes, on the machine's other cores, while the build converts the rest.

MkDocs populates pages (each page's Markdown, then its HTML) one after the other, in one Python thread: at
2,000 fiches, the territory pages are half of a build, on one core of the machine. Before the first page is
read, the build forks (`os.fork`: each child starts with the joined guide, the compiled templates, MkDocs'
configuration and files as they are, nothing read or joined again). The children take territory pages from the
end of the list, the build takes them from the start as MkDocs reaches them, and they meet where the work is
shared evenly, whatever the machine and whatever else the build does first (authored pages, champ pages).

A child runs for its page what MkDocs runs up to the page's HTML (`on_pre_page` and `on_page_markdown` of every
plugin, then `Page.render`), and sends back what `Page.render` sets (HTML, table of contents, title from the
HTML, anchors). The build takes that in place of its own conversion (`PageRendueAilleurs.render`), then goes on
as for any other page: sanitiser, print, search, writing happen in the build, once. What a child logs (MkDocs'
warnings about a link…) is logged again by the build when it takes the page, so strict mode counts it as its own.

Whatever a child could not do, the build does itself, as it would without children, with the same result or the
same French error: a page that failed in the child, a page whose template kept HTML out of Markdown
(Renderer.brut: a marker only the build's own renderer could put back), the pages of a child that died.

Only `mkdocs build` forks: the preview's builds under `mkdocs serve` are mostly one page, and a complete one gives
way to a fiche saved meanwhile (apercu.py). It forks before any thread of the build is started (a fork copies the
calling thread only: a lock held by another thread would stay held in the child) and only on a machine with more
than one core for it.

Written with the standard library's fork, pipes and shared values rather than a pool (`multiprocessing.Pool`,
`concurrent.futures`): a pool sends each task's inputs by pickling, and a page's inputs are the whole joined
guide and MkDocs' objects; a fork shares them as they are, and a page is taken by whichever process is free,
without a task list decided in advance.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import signal
import threading
from multiprocessing import connection

from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.guide")

# Children at most: beyond three, each child's memory (its copy of the pages it touches) costs more than the
# time it saves on a build whose other steps stay on one core.
PROCESSUS_MAX = 3


def processus_par_defaut() -> int:
    """Children for a build on this machine: one per core the build may use, but the build's own."""
    try:
        coeurs = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        coeurs = os.cpu_count() or 1
    return max(0, min(PROCESSUS_MAX, coeurs - 1))


class PageRendueAilleurs(Page):
    """A territory page, whose HTML may have been made by a child (Ateliers): then `render` takes it."""

    rendu: dict | None = None  # what a child's Page.render set, until this page's render

    def render(self, config, files) -> None:
        rendu, self.rendu = self.rendu, None
        if rendu is None:
            return super().render(config, files)
        self.content = rendu["content"]
        self.toc = rendu["toc"]
        self._title_from_render = rendu["titre"]
        self.present_anchor_ids = rendu["ancres"]
        if rendu["liens"] is not None:
            self.links_to_anchors = {files.get_file_from_path(src): liens for src, liens in rendu["liens"].items()}
        return None


def peupler(page: Page, config, files) -> None:
    """In a child: what MkDocs' build does for a page up to its HTML (mkdocs.commands.build._populate_page)."""
    config._current_page = page
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    page.render(config, files)


def _rendu(page: Page) -> dict:
    """What Page.render set on `page`, to be sent to the build: File objects named by their path."""
    liens = page.links_to_anchors
    return {"content": page.content, "toc": page.toc, "titre": page._title_from_render,
            "ancres": page.present_anchor_ids,
            "liens": None if liens is None else {f.src_uri: a for f, a in liens.items()}}


class _Journal(logging.Handler):
    """A child's log records, kept to be logged again by the build with the page they came with."""

    def __init__(self):
        super().__init__()
        self.lignes: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.lignes.append((record.name, record.levelno, record.getMessage()))


class Ateliers:
    """The children of one build and what they sent (held by the plugin from on_nav to the end of populating)."""

    def __init__(self, pages: list[Page], processus: int):
        self.pages = pages
        self._index = {page.file.src_uri: i for i, page in enumerate(pages)}
        contexte = multiprocessing.get_context("fork")
        self._verrou = contexte.Lock()
        # Pages [debut, fin) are free: the build takes the next one from the start, a child the last one.
        self._debut = contexte.RawValue("i", 0)
        self._fin = contexte.RawValue("i", len(pages))
        self._par = contexte.RawArray("b", len(pages))  # the child (1, 2…) that took each page; 0: the build
        self._enfants: list[int] = []
        self._liaisons: list = []
        self._resultats: dict[int, tuple[dict | None, list]] = {}
        self.recues = 0  # pages the build took from a child
        self._arretes: set[int] = set()  # children whose pipe is closed: nothing more will come from them
        self._signal = threading.Condition()
        self._lecteur: threading.Thread | None = None
        self._processus = processus

    @classmethod
    def ouvrir(cls, pages: list[Page], processus: int, faire) -> "Ateliers | None":
        """Fork `processus` children, each calling `faire(page)` (MkDocs' steps up to Page.render) for the pages
        it takes. None when no child would help: no page, no core to spare, a thread already running."""
        if processus < 1 or len(pages) < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        try:
            ateliers = cls(pages, processus)  # shared values and a lock: a system without them builds alone
        except (OSError, ImportError) as exc:
            log.debug(f"Pages des territoires converties par la construction seule ({exc}).")
            return None
        ateliers._demarrer(faire)
        return ateliers

    def _demarrer(self, faire) -> None:
        for numero in range(1, self._processus + 1):
            lecture, ecriture = multiprocessing.Pipe(duplex=False)
            pid = os.fork()
            if pid == 0:  # the child: never returns
                lecture.close()
                self._enfant(numero, ecriture, faire)
            ecriture.close()
            self._enfants.append(pid)
            self._liaisons.append(lecture)
        self._lecteur = threading.Thread(target=self._lire, name="guide-ateliers", daemon=True)
        self._lecteur.start()

    def _enfant(self, numero: int, liaison, faire) -> None:
        """A child's whole life: pages from the end of the list until it meets the build, then exit."""
        code = 0
        try:
            # What the child inherited stays out of the collector's walks: walking it would write to every
            # object's header, and so copy into the child the memory it shares with the build.
            gc.freeze()
            # Each record kept once, where it stops going up: at the root, or at a logger that does not pass its
            # records on (MkDocs' own); the build hands it again to the same logger.
            journal = _Journal()
            for nom in [None, *logging.Logger.manager.loggerDict]:
                logger = logging.getLogger(nom)
                if isinstance(logger, logging.Logger):
                    logger.handlers = [journal] if nom is None or not logger.propagate else []
            while True:
                with self._verrou:
                    if self._fin.value <= self._debut.value:
                        break
                    self._fin.value -= 1
                    i = self._fin.value
                    self._par[i] = numero
                page = self.pages[i]
                journal.lignes = []
                try:
                    rendu = _rendu(page) if faire(page) else None
                except Exception:  # noqa: BLE001 - the build does this page again and reports it in French
                    rendu = None
                liaison.send_bytes(pickle.dumps((i, rendu, journal.lignes), protocol=pickle.HIGHEST_PROTOCOL))
                page.content = page.markdown = page.toc = None  # sent: not kept in the child
        except BaseException:  # noqa: BLE001 - interrupted (Ctrl+C) or broken pipe: the build does the rest
            code = 1
        finally:
            try:
                liaison.close()
            finally:
                os._exit(code)  # never MkDocs' own exit: the build is the parent's

    def _lire(self) -> None:
        """The build's thread that receives the children's pages as they come (a child never waits on a pipe)."""
        ouvertes = dict(zip(self._liaisons, range(1, len(self._liaisons) + 1)))
        while ouvertes:
            for liaison in connection.wait(list(ouvertes)):
                try:
                    i, rendu, lignes = pickle.loads(liaison.recv_bytes())
                except (EOFError, OSError):  # the child ended (or died): what it sent came before
                    with self._signal:
                        self._arretes.add(ouvertes.pop(liaison))
                        self._signal.notify_all()
                    continue
                with self._signal:
                    self._resultats[i] = (rendu, lignes)
                    self._signal.notify_all()

    def prendre(self, src: str) -> dict | None:
        """Called by the build when MkDocs reaches page `src`: None if the build converts it itself (no child
        took it, or the child could not); else what the child's Page.render set (waits for it), with the
        child's log records for this page logged now."""
        i = self._index.get(src)
        if i is None:
            return None
        with self._verrou:
            if i < self._fin.value:
                self._debut.value = max(self._debut.value, i + 1)
                return None
        with self._signal:
            while i not in self._resultats and self._par[i] not in self._arretes:
                self._signal.wait()
            rendu, lignes = self._resultats.pop(i, (None, []))
        if rendu is None:
            return None
        self.recues += 1
        for nom, niveau, message in lignes:
            logging.getLogger(nom).handle(logging.makeLogRecord(
                {"name": nom, "levelno": niveau, "levelname": logging.getLevelName(niveau), "msg": message}))
        return rendu

    def fermer(self, arreter: bool = False) -> None:
        """Children reaped, their pipes closed. After the pages are populated, each child has sent its last page
        and is ending; `arreter` (a build that failed) stops them where they are."""
        with self._verrou:
            self._debut.value = self._fin.value  # no page left to take
        for pid in self._enfants:
            try:
                if arreter:
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
        self._enfants = []
        if self._lecteur is not None:
            self._lecteur.join(timeout=5)
        for liaison in self._liaisons:
            liaison.close()
        self._liaisons = []
        log.debug(f"Pages des territoires : {self.recues} sur {len(self.pages)} converties par "
                  f"{self._processus} autre(s) processus.")
