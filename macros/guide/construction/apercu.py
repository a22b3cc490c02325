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

A complete build gives way to a fiche saved while it runs (`ceder`, called by the plugin between pages): at
2,000 fiches it takes about a minute, and an editor who saved again right after seeing the first change waited
for all of it before seeing the second. It stops (`ConstructionInterrompue`, which the server's builder
takes as a normal end), MkDocs' loop starts the next build at once, and that build is a partial one for the
fiches saved since the interrupted one started (`en_attente`: their digests may already be those of the
interrupted build, so the digests alone would not tell); the complete build follows it as after any edit.
Only a change under fiches/ interrupts: a template or a page of docs/ waits for the build to end.

The fiches are watched by the system's file events (inotify on Linux, through watchdog, which MkDocs' server
uses too), not by MkDocs' polling: the server looks at every watched file twice a second, which added a quarter
of a second on average before the build even started (at 2,000 fiches, the partial build itself takes under a
second). A save of a fiche or data file starts the build at once; an editor's own files (swap, backup, lock)
start none. Where the system gives no events (a folder on the network, no watch left), MkDocs' polling stays.

A --dirty build writes over the previous one and never empties the site folder: the page of a fiche
deleted or renamed would still be served. After each build, the pages the build no longer has are removed
from the served folder (the links to them went with the complete build that a removed fiche causes).

A build of `mkdocs serve` that fails (a fiche the validator refuses, saved by hand or by the form) leaves
the folder of the last good build served (the fiches are checked in on_config, before MkDocs writes
anything), and every page served then carries the French report at its top, until a build succeeds: the
browser reloads to show it (MkDocs alone printed an English line and a traceback in the terminal, and
left the browser waiting).
"""
from __future__ import annotations

import base64
import gc
import hashlib
import html
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from guide.join import Guide
from guide.rendu.render import url_de


class ConstructionInterrompue(Exception):
    """A complete preview build given up for a fiche saved while it ran (see the module's docstring)."""


# Seconds without a new event before a save of a fiche starts a build (see Apercu._surveiller_les_fiches).
DELAI_D_ENREGISTREMENT = 0.02


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
        self.serve = False                   # `mkdocs serve`, with or without --dirty
        self.erreur: str | None = None       # French report of the last build, when it failed
        self.serveur = None                  # MkDocs' LiveReloadServer, under --dirty
        self.fiches: Path | None = None      # the project's fiches/ folder, watched by the server
        self.debut_ns = 0                    # when the current build started (time.time_ns)
        self.en_attente: set[Path] = set()   # fiches saved during an interrupted build: the next one redoes them
        self.interrompue = False             # the current build was interrupted (its log lines are dropped)
        self._dernier_regard = 0.0           # when ceder last looked at the fiches' folder (time.monotonic)
        self._ramasse_miettes_suspendu = False
        self.observateur = None              # watchdog's observer of fiches/ (system events), under --dirty
        self.enregistrees: set[Path] = set()  # fiches its events saw written since the current build started

    # Python's cyclic garbage collector walks every object the process holds (the fiches kept between builds,
    # the last build's pages) each time it runs a full collection: at 10,000 fiches, 1.2 s of a 2.5 s partial
    # build that allocates little. It is suspended from the start of a build that may be partial (a build under
    # --dirty after the first) until the build is known to be complete, or ends; reference counting still frees
    # almost everything, and what is left (cycles) is collected once it runs again.
    def _suspendre_ramasse_miettes(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._ramasse_miettes_suspendu = True

    def _reprendre_ramasse_miettes(self) -> None:
        if self._ramasse_miettes_suspendu:
            gc.enable()
            self._ramasse_miettes_suspendu = False

    def commencer(self, racine: Path) -> None:
        """At the start of every build (on_config, before the fiches are read)."""
        self.fiches = racine / "fiches"
        self.debut_ns = time.time_ns()
        self.interrompue = False
        self.enregistrees = set()  # a new set: the observer's thread adds to whichever is current
        self.pages.clear()  # asked again by this build (an interrupted one may have asked for some)
        if self.actif and self.servies:
            self._suspendre_ramasse_miettes()

    def demarrer(self, command: str, dirty: bool) -> None:
        """Once per MkDocs command: the preview only works under `mkdocs serve --dirty`."""
        self.actif = command == "serve" and dirty
        self.serve = command == "serve"
        if self.serve:
            _arret_comme_ctrl_c()
        if self.actif:
            logging.getLogger("mkdocs.commands.build").addFilter(self._journal)

    def preparer(self, guide: Guide, changements: list[Path] | None) -> None:
        """Decide, at the start of a build, which pages it redoes."""
        self.pages_a_refaire = None
        if changements is not None:
            changements = [*changements, *sorted(self.en_attente - set(changements))]
        self.en_attente = set()
        if not self.actif or self.relance is None or not changements:
            self._reprendre_ramasse_miettes()
            return
        pages = set()
        for path in changements:
            territoire = guide.territoires.get(path.stem)
            if path.parent.name != "territoires" or territoire is None:
                self._reprendre_ramasse_miettes()
                return  # not a territory fiche, or a fiche removed: everything may depend on it
            pages.add(territoire.src)
            pages |= {guide.territoires[c].src for a in territoire.actions for c in a.data.get("coporteurs", [])}
            pages |= {a.territoire.src for a in territoire.actions_partagees}
        self.pages_a_refaire = pages

    def partielle(self) -> bool:
        """Whether this build only redoes the pages of edited fiches (what gathers every fiche can wait)."""
        return self.pages_a_refaire is not None

    def ceder_en_lisant(self, changements: list[Path] | None) -> None:
        """Between the steps that read, check and join the fiches (build_guide, in on_config): at 10,000 fiches they
        hold a build for about a second, and a fiche saved then waited for them. A build gives way there when it
        will be complete: what decides it is known once the fiches' digests are taken (no fiche changed since the
        previous build, none waiting from an interrupted one: `preparer` then decides a complete build), while
        `pages_a_refaire` still holds the previous build's decision until `preparer`."""
        if changements or self.en_attente:
            return
        self.pages_a_refaire = None
        self.ceder()

    def ceder(self) -> None:
        """During a complete build under --dirty: stop it if a fiche was saved since it started (see the module's
        docstring). Cheap between two pages: the server's flag first (set by its watchers on any change), then the
        fiches the system's events saw saved since the build started (where fiches/ is polled instead: at most
        twice a second, the modification times of the files under fiches/)."""
        if (not self.actif or self.pages_a_refaire is not None or self.serveur is None or self.fiches is None
                or not getattr(self.serveur, "_want_rebuild", False)):  # MkDocs' LiveReloadServer (pinned)
            return
        if self.observateur is not None:
            # The events say which fiches were saved since the build started: nothing to look at, at every call.
            enregistrees = {p for p in set(self.enregistrees) if p.exists()}  # copied at once: the observer adds
        else:
            maintenant = time.monotonic()
            if maintenant - self._dernier_regard < 0.5:
                return
            self._dernier_regard = maintenant
            enregistrees = _modifies_depuis(self.fiches, self.debut_ns)
        if enregistrees:
            self.en_attente |= enregistrees
            self.interrompue = True
            raise ConstructionInterrompue(", ".join(sorted(p.name for p in enregistrees)))

    def _journal(self, record: logging.LogRecord) -> bool:
        """MkDocs' build log under --dirty, without two false alarms. MkDocs warns on every --dirty build that
        other pages may be stale, which `strict: true` turns into a failure: here a partial build is always
        followed by a complete one. And it logs an error for the page where an interrupted build stopped (the
        builder reports the interruption in French). Every other warning still stops the preview as it stops
        the build."""
        message = str(record.msg)
        if message.startswith("A 'dirty' build is being performed"):
            return False
        return not (self.interrompue and message.startswith(("Error reading page", "Error building page")))

    def a_refaire(self, src: str) -> bool:
        """Whether the page of this source path is rebuilt by the current build (asked under --dirty only, for
        every page of the build)."""
        self.pages.add(src)
        return self.pages_a_refaire is None or src in self.pages_a_refaire

    def surveiller(self, server) -> bool:
        """Under `mkdocs serve`: a failed build reported in the browser (see the module's docstring); under
        --dirty: watch the file whose change asks for the complete build, and the fiches by the system's events.
        True when the fiches are watched that way (MkDocs need not poll them)."""
        if self.serve:
            self._montrer_les_echecs(server)
        if not self.actif:
            return False
        self.site = Path(server.root)
        self.serveur = server
        self.relance = Path(tempfile.mkdtemp(prefix="guide-apercu-")) / "relance"
        self.relance.touch()
        server.watch(str(self.relance))
        return self._surveiller_les_fiches(server)

    def _surveiller_les_fiches(self, server) -> bool:
        if self.fiches is None or not self.fiches.is_dir():
            return False
        observateur = Observer()
        try:
            observateur.schedule(_Enregistrements(server, self), str(self.fiches), recursive=True)
            observateur.start()
        except OSError as exc:  # no events here (inotify's limit reached…): MkDocs' polling, as before
            log.info(f"Aperçu : fiches/ surveillé par sondage ({exc}).")
            return False
        self.observateur = observateur
        # MkDocs' server waits until no change has come for `build_delay` (a tenth of a second) before it builds, so
        # that the writes of one save make one build. A save's events (written, closed; or a new file renamed over
        # the fiche) come within a millisecond of each other: a fiftieth of a second still gathers them, and the
        # page of the saved fiche comes 80 ms sooner. A save split by a longer pause gets a second build, as with
        # MkDocs' tenth.
        server.build_delay = min(server.build_delay, DELAI_D_ENREGISTREMENT)
        return True

    def terminer(self) -> None:
        """When `mkdocs serve` stops: the fiches' observer stopped, the folder of the watched file removed (one
        was left in the system's temporary folder by every preview)."""
        self._reprendre_ramasse_miettes()
        if self.observateur is not None:
            self.observateur.stop()
            self.observateur = None
        if self.relance is not None:
            shutil.rmtree(self.relance.parent, ignore_errors=True)
            self.relance = None

    def apres_construction(self) -> None:
        """After a partial build, ask for the complete one (once the browser has reloaded the edited page).
        After any build under --dirty, remove the pages of the previous build that this one no longer has."""
        self._reprendre_ramasse_miettes()
        if self.actif and self.pages:
            if self.site is not None:
                for src in self.servies - self.pages:
                    _retirer(self.site / url_de(src))
            self.servies = set(self.pages)
            self.pages.clear()
        if self.pages_a_refaire is not None and self.relance is not None:
            threading.Timer(1.0, _toucher, args=(self.relance,)).start()


    # ---------- A failed build under `mkdocs serve`: the last good site, with the error on every page ----------

    def echec(self, error: BaseException) -> None:
        """A build failed (on_build_error): its report, shown by the pages served until the next good build."""
        self._reprendre_ramasse_miettes()
        if self.serve and not isinstance(error, ConstructionInterrompue):
            self.erreur = str(error).strip() or type(error).__name__

    def reussite(self) -> None:
        """A build succeeded (on_post_build): the pages are served without a report."""
        self.erreur = None

    def _montrer_les_echecs(self, server) -> None:
        # MkDocs' LiveReloadServer (pinned, requirements.txt) calls `builder` to rebuild and
        # `_inject_js_into_html` on every HTML page it serves; both are wrapped, on this server only.
        construire, injecter = server.builder, server._inject_js_into_html

        def builder():
            try:
                construire()
            except ConstructionInterrompue as exc:
                log.info(f"Aperçu : construction complète interrompue, fiche enregistrée entre-temps ({exc}) : "
                         "sa page d'abord, puis le reste du site.")
            except Exception:  # noqa: BLE001 - the build's French report is already logged, and kept in erreur
                log.error("Aperçu : la construction a échoué ; le navigateur affiche l'erreur au-dessus de la "
                          "dernière version réussie du site.")
                # Returning normally lets MkDocs reload the browsers, which then show the report.

        def inject(content: bytes, epoch) -> bytes:
            if self.erreur is not None:
                try:
                    at = content.index(b">", content.index(b"<body")) + 1
                except ValueError:
                    at = 0
                content = content[:at] + bandeau(self.erreur) + content[at:]
            if SANS_RECHARGEMENT in content[:4096]:  # the editors' form (/admin/): a save reloaded it, typing lost
                return content
            return autoriser_le_rechargement(content, injecter(content, epoch))

        server.builder = builder
        server._inject_js_into_html = inject


log = logging.getLogger("mkdocs.plugins.guide")

# A page whose head says so is served without MkDocs' live-reload script (the editors' form, admin/index.html.j2).
SANS_RECHARGEMENT = b'<meta name="guide-rechargement" content="non">'

_POLITIQUE = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src )')


def autoriser_le_rechargement(avant: bytes, apres: bytes) -> bytes:
    """The page as the preview serves it, its policy allowing the one inline script MkDocs' server added.

    Every page forbids inline scripts (plugin.CSP); `mkdocs serve` adds one to each page it serves, the
    live-reload poller, which the policy then blocked: the browser never reloaded after a save and never
    showed a failed build's report. Its hash (the script differs for every response: it carries the
    build's epoch and a request id) is added to `script-src` of that response only, on the local server
    only: the published site keeps its policy whole."""
    try:
        fin_du_corps = avant.rindex(b"</body>")  # where MkDocs inserts its script
    except ValueError:
        fin_du_corps = len(avant)
    ajout = apres[fin_du_corps:len(apres) - (len(avant) - fin_du_corps)]
    if not (ajout.startswith(b"<script>") and ajout.endswith(b"</script>")):
        return apres
    empreinte = base64.b64encode(hashlib.sha256(ajout[len(b"<script>"):-len(b"</script>")]).digest())
    return _POLITIQUE.sub(lambda m: m.group(1) + b"'sha256-" + empreinte + b"' ", apres, count=1)


def bandeau(report: str) -> bytes:
    """The report at the top of a page (styles in the element: it must show whatever the page's own CSS)."""
    return (
        '<div id="guide-erreur-apercu" role="alert" style="position:sticky;top:0;z-index:100000;margin:0;'
        'padding:.75rem 1rem;background:#fff3f3;color:#5a0000;border-bottom:3px solid #c9191e;'
        'font:15px/1.45 system-ui,sans-serif;max-height:50vh;overflow:auto">'
        "<p style=\"margin:0 0 .4rem\"><strong>La dernière modification n'est pas dans l'aperçu : la construction "
        "a échoué.</strong> Cette page est celle de la dernière construction réussie ; corrigez la fiche et "
        "enregistrez-la, l'aperçu se met à jour.</p>"
        f'<pre style="margin:0;white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace">{html.escape(report)}</pre>'
        "</div>"
    ).encode()


def _lu_par_la_construction(nom: str) -> bool:
    """A fiche or data file, what a build reads (`*.md`, `*.yaml`); not an editor's own files (vim's `.x.md.swp`,
    written every few seconds while a fiche is open, `x.md~`, `.#x.md`)."""
    return nom.endswith((".md", ".yaml")) and not nom.startswith(".")


def _arret_comme_ctrl_c() -> None:
    """`mkdocs serve` stopped by SIGTERM (a process manager, a container stopped, a script's `terminate()`) ends as on
    Ctrl+C: MkDocs removes the site it built in the system's temporary folder (a gigabyte at 10,000 fiches) and the
    plugins end (on_shutdown: the preview's own folder). By Python's default for SIGTERM, the process ended at once
    and left both behind, one site per preview stopped. Only in the main thread (the one a handler may be set from,
    where MkDocs' serve loop runs), and where nobody chose another handler."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # raises KeyboardInterrupt, as Ctrl+C does


class _Enregistrements(FileSystemEventHandler):
    """What the fiches' observer does with an event: a fiche or data file created, written, renamed or removed asks
    the server for a build, as MkDocs' own watcher does for the files it polls (LiveReloadServer.watch, pinned);
    reading one (the build opens every fiche) or an editor's own file asks for none."""

    DEMANDES = frozenset({"created", "modified", "moved", "deleted", "closed"})

    def __init__(self, server, apercu: Apercu):
        super().__init__()
        self.server = server
        self.apercu = apercu

    def dispatch(self, event) -> None:
        if event.is_directory or event.event_type not in self.DEMANDES:
            return
        chemins = [Path(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        fiches = [p for p in chemins if _lu_par_la_construction(p.name)]
        if fiches:
            # Before the server's flag: a build that sees the flag finds the fiche (Apercu.ceder).
            self.apercu.enregistrees.update(fiches)
            with self.server._rebuild_cond:
                self.server._want_rebuild = True
                self.server._rebuild_cond.notify_all()


def _modifies_depuis(dossier: Path, debut_ns: int) -> set[Path]:
    """The fiches and data files under `dossier` (what a build reads: `*.md`, `*.yaml`) modified at or after
    `debut_ns`. Not an editor's own files (vim's `.x.md.swp`, written every few seconds while a fiche is open,
    `x.md~`, `.#x.md`): each would stop the complete build again and again. Not folders: an editor that saves by
    writing a new file and renaming it changes its folder's time too, which would make the next build a complete
    one. A fiche removed during a complete build does not interrupt it (the next build sees it gone)."""
    trouves, a_voir = set(), [dossier]
    while a_voir:
        try:
            entrees = list(os.scandir(a_voir.pop()))
        except OSError:
            continue
        for entree in entrees:
            try:
                if entree.is_dir(follow_symlinks=False):
                    a_voir.append(Path(entree.path))
                elif (_lu_par_la_construction(entree.name)
                      and entree.stat(follow_symlinks=False).st_mtime_ns >= debut_ns):
                    trouves.add(Path(entree.path))
            except OSError:
                continue
    return trouves


def _toucher(fichier: Path) -> None:
    """Touch the watched file (the server then runs the complete build), unless the preview has stopped since
    and removed it (terminer)."""
    try:
        fichier.touch(exist_ok=True)
    except FileNotFoundError:
        pass


def _retirer(folder: Path) -> None:
    """Remove a page's index.html, and its folder once empty (a renamed fiche leaves no empty folder)."""
    (folder / "index.html").unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass  # holds other files (a page below it): left
