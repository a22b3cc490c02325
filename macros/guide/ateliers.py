"""Work shared between a build and processes forked from it, on the machine's other cores.

Python runs a build in one thread; the guide's heaviest steps are the same work repeated for thousands of
fiches (read and check each one; convert each territory page). Forked before that work (`os.fork`), each child
starts with everything the build holds at that moment (the joined guide, the compiled templates, MkDocs'
configuration), nothing read or joined again. The children take elements from the end of the list, the build
takes them from the start as it reaches them, and they meet where the work is shared evenly, whatever the
machine and whatever else the build does in between.

A child sends back, for each element it took, what `faire(element)` returned (pickled) and the log records it
made then; the build logs them again when it takes the element, so they read and count (strict mode) as its
own. Whatever a child could not do, the build does itself, as it would alone: an element whose `faire` failed
or returned None, the elements of a child that died.

A fork copies the calling thread only: a lock another thread held would stay held in the child. So a fork
happens only when the process runs no other thread, and on a machine with a core to spare.

Written with the standard library's fork, pipes and shared values rather than a pool (`multiprocessing.Pool`,
`concurrent.futures`): a pool sends each task's inputs by pickling, and an element's inputs here are the whole
joined guide and MkDocs' objects; a fork shares them as they are, and an element is taken by whichever process
is free, without a task list decided in advance.
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

log = logging.getLogger("mkdocs.plugins.guide")

# Children at most. The build's other steps stay on one core, so more children mostly add memory (each copies
# what it touches of the build's); three is a guess, not a measure: the machines measured here had two cores.
PROCESSUS_MAX = 3


def processus_par_defaut() -> int:
    """Children for a build on this machine: one per core the build may use, but the build's own."""
    try:
        coeurs = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        coeurs = os.cpu_count() or 1
    return max(0, min(PROCESSUS_MAX, coeurs - 1))


class _Journal(logging.Handler):
    """A child's log records, kept to be logged again by the build with the element they came with."""

    def __init__(self):
        super().__init__()
        self.lignes: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.lignes.append((record.name, record.levelno, record.getMessage()))


class Ateliers:
    """The children sharing one list of elements with the build, and what they sent."""

    def __init__(self, elements: list, processus: int, quoi: str = "Éléments faits"):
        self.elements = elements
        self.quoi = quoi  # what the elements are, for the debug line of `fermer`
        contexte = multiprocessing.get_context("fork")
        self._verrou = contexte.Lock()
        # Elements [debut, fin) are free: the build takes the next one from the start, a child the last one.
        self._debut = contexte.RawValue("i", 0)
        self._fin = contexte.RawValue("i", len(elements))
        self._par = contexte.RawArray("b", len(elements))  # the child (1, 2…) that took each element; 0: the build
        self.processus = processus
        self._enfants: list[int] = []
        self._liaisons: list = []
        self._resultats: dict[int, tuple[object, list]] = {}
        self._arretes: set[int] = set()  # children whose pipe is closed: nothing more will come from them
        self._signal = threading.Condition()
        self._lecteur: threading.Thread | None = None
        self.recus = 0  # elements the build took from a child

    @classmethod
    def ouvrir(cls, elements: list, processus: int, faire, quoi: str = "Éléments faits") -> "Ateliers | None":
        """Fork `processus` children, each calling `faire(element)` for the elements it takes (its result must
        pickle; None: the build does the element). None when no child would help or a fork would not be safe:
        fewer than two elements, no core to spare, another thread running, no shared values on this system."""
        if processus < 1 or len(elements) < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        try:
            ateliers = cls(elements, processus, quoi)
        except (OSError, ImportError) as exc:
            log.debug(f"Travail fait par la construction seule ({exc}).")
            return None
        ateliers._demarrer(faire)
        return ateliers

    def _demarrer(self, faire) -> None:
        for numero in range(1, self.processus + 1):
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
        """A child's whole life: elements from the end of the list until it meets the build, then exit."""
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
                journal.lignes = []
                try:
                    resultat = faire(self.elements[i])
                    message = pickle.dumps((i, resultat, journal.lignes), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - failed, or no pickle of it: the build does it again, and reports
                    message = pickle.dumps((i, None, []))
                liaison.send_bytes(message)
        except BaseException:  # noqa: BLE001 - interrupted (Ctrl+C) or broken pipe: the build does the rest
            code = 1
        finally:
            try:
                liaison.close()
            finally:
                os._exit(code)  # never the build's own exit (MkDocs', pytest's): the build is the parent's

    def _lire(self) -> None:
        """The build's thread that receives the children's results as they come (a child never waits on a pipe)."""
        ouvertes = dict(zip(self._liaisons, range(1, len(self._liaisons) + 1)))
        while ouvertes:
            for liaison in connection.wait(list(ouvertes)):
                try:
                    i, resultat, lignes = pickle.loads(liaison.recv_bytes())
                except (EOFError, OSError):  # the child ended (or died): what it sent came before
                    with self._signal:
                        self._arretes.add(ouvertes.pop(liaison))
                        self._signal.notify_all()
                    continue
                with self._signal:
                    self._resultats[i] = (resultat, lignes)
                    self._signal.notify_all()

    def prendre(self, i: int):
        """Called by the build when it reaches element `i`: None if the build does it itself (no child took it, or
        the child could not); else the child's result (waits for it), with the child's log records for it
        logged now. The build reaches the elements in their order."""
        with self._verrou:
            if i < self._fin.value:
                self._debut.value = max(self._debut.value, i + 1)
                return None
        with self._signal:
            while i not in self._resultats and self._par[i] not in self._arretes:
                self._signal.wait()
            resultat, lignes = self._resultats.pop(i, (None, []))
        if resultat is None:
            return None
        self.recus += 1
        for nom, niveau, message in lignes:
            logging.getLogger(nom).handle(logging.makeLogRecord(
                {"name": nom, "levelno": niveau, "levelname": logging.getLevelName(niveau), "msg": message}))
        return resultat

    def fermer(self, arreter: bool = False) -> None:
        """Children reaped, their pipes closed. Once the build has reached every element, each child has sent its
        last one and is ending; `arreter` (a build that failed) stops them where they are."""
        with self._verrou:
            self._debut.value = self._fin.value  # nothing left to take
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
        log.debug(f"{self.quoi} : {self.recus} sur {len(self.elements)} par {self.processus} autre(s) processus.")
