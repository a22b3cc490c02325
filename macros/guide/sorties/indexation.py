"""Pagefind's indexing of a build, in a process of its own (see recherche.py for what is indexed and why).

`Indexation` (in the build) starts this file as a Python process and hands it each page's article as soon
as the page is built; the process feeds them to the Pagefind service through the `pagefind` package's
asyncio client, on the machine's other core, while MkDocs (one Python thread) builds the next pages.
Once the last page to index is handed over, the process writes the index (Pagefind's longest step) while
MkDocs builds the printed sections; `terminer` waits for it, and gets back the words written with a
ligature, for the search worker.

A process rather than a thread of the build: the client encodes every page and reads every answer in
Python, and in a thread that work took the interpreter from the build (some 3 s at 2,000 pages). The
build's side never waits for the process to read a page: its pipe is non-blocking, and what the
process has not read yet waits in memory.

The file stands alone (standard library and `pagefind` only): the process starts without importing the
guide's package, MkDocs or Jinja.

Messages to the process, one JSON line each: ["page", url, n] followed by the n bytes of the page's HTML
(UTF-8), ["ecrire"] (write the index of the pages so far), ["fin"] (write it again if pages came since,
then answer). Its one answer, a JSON line:
{"ligatures": {folded word: word as written}, "mots": {word: number of pages}} or {"erreur": message}.

The words of the pages (`mots`) are the search's vocabulary (recherche.py writes it beside the index): the
query layer checks a typed word against it, completes the word being typed and suggests near words. Pagefind
keeps only stems in its index, and its API gives no list of them.
"""
from __future__ import annotations

import asyncio
import base64
import collections
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import unicodedata
import zlib

# The service's own process (Pagefind) and the client's: an index of 2,000 pages is written in seconds.
ATTENTE_MAX_S = 600
ECRITURE_MAX_S = 120
# Time the service has to end on its own once its input is closed (it finishes writing files first).
ARRET_MAX_S = 60
# Longest line the process reads (a message's JSON line; a page's bytes are read by their count).
LIGNE_MAX = 1 << 20

_LIGATURE = re.compile(r"[œæŒÆ]")
# What Pagefind reads of a page, where a page writes a character Pagefind does not split or fold: Word's
# apostrophe (’, and the modifier letter ʼ), which Pagefind keeps inside a word (« d’amorçage » was found by
# no search for « amorçage »), and the letter ligatures of a PDF (« ﬁlière » was not found by « filière »):
# each is read as the letters a reader types (editor QA). The page shows what its fiche wrote.
LECTURE = {"’": "'", "ʼ": "'", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}


def lecture(document: str) -> str:
    """A page as Pagefind reads it (LECTURE). One str.replace per character the page holds: str.translate with a
    table looks every character of the page up in Python's dictionary, 3 ms for a territory page of 50 KB, some
    6 s of the indexing process's CPU at 2,000 fiches (py-spy), where the search of each character takes 30 µs."""
    for ecrit, lu in LECTURE.items():
        if ecrit in document:
            document = document.replace(ecrit, lu)
    return document
# A page's words for the vocabulary: its HTML without tags (what Pagefind leaves out of a page, such as the
# listings of recherche.EXCLUS, is in it too: a few words too many only cost a completion or a suggestion
# that the query layer checks against the index before showing it). Letters and digits, two or more.
_BALISE = re.compile(r"<[^>]*>")
# (Found as runs of \w, those with an underscore split after: the engine matches \w twice as fast as [^\W_], which was
# half the indexing process's own time.)
_MOT = re.compile(r"\w\w+")
# The word around a ligature, found from the ligature outwards: a pattern such as \w*[œæ]\w* would scan the
# rest of each word from every one of its letters (seconds over 2,000 pages). French words are far shorter
# than the 60 characters looked back.
_DEBUT_DU_MOT = re.compile(r"\w*$")
_FIN_DU_MOT = re.compile(r"\w*")


def _plier(mot: str) -> str:
    mot = unicodedata.normalize("NFD", mot.lower())
    mot = "".join(c for c in mot if not unicodedata.combining(c))
    return mot.replace("œ", "oe").replace("æ", "ae")


def mots_de_page(document: str) -> set[str]:
    """The words of a page's HTML, lower case, as written (accents kept), each once."""
    mots = set(_MOT.findall(html.unescape(_BALISE.sub(" ", document)).lower()))
    for mot in [m for m in mots if "_" in m]:
        mots.discard(mot)
        mots.update(partie for partie in mot.split("_") if len(partie) > 1)
    return mots


def ligatures(texte: str) -> dict[str, str]:
    """{folded word: word as written} for every word written with œ or æ in `texte`."""
    mots = {}
    for lettre in _LIGATURE.finditer(texte):
        i = lettre.start()
        mot = texte[_DEBUT_DU_MOT.search(texte, max(0, i - 60), i).start():_FIN_DU_MOT.match(texte, i).end()]
        mots[_plier(mot)] = mot.lower()
    return mots


class Indexation:
    """The build's side: starts the indexing process, hands it pages, asks it to write the index."""

    def __init__(self, exclus: list[str], sortie):
        """`exclus`: CSS selectors of what Pagefind leaves out of each page; `sortie`: the index's folder."""
        self._erreurs = tempfile.TemporaryFile()
        self.processus = subprocess.Popen([sys.executable, __file__, json.dumps(exclus), str(sortie)], bufsize=0,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._erreurs)
        os.set_blocking(self.processus.stdin.fileno(), False)
        self._en_attente = bytearray()  # written by the build, not yet read by the process
        self._vidage: threading.Thread | None = None  # writes what waits, once the last page is handed over
        self.secondes = 0.0  # the build's own time on the index, counted by recherche.py (benchmark)
        self.mots: dict[str, int] = {}  # the words of the pages and their number of pages (after `terminer`)

    def ajouter(self, document: str, url: str) -> None:
        """Hand over one page (`document`: HTML, `url`: its address from the site root); never waits."""
        self._attendre_le_vidage()  # (a page after the early write: the build's count of pages was short)
        # The page's bytes follow their line as they are: escaping 40 kB of HTML into JSON cost more
        # than all the rest of the hand-over.
        corps = document.encode()
        self._en_attente += json.dumps(["page", url, len(corps)]).encode() + b"\n" + corps
        self._pousser()

    def ecrire(self) -> None:
        """Have the index written now, of the pages handed over so far, while the build goes on.

        What the pipe has not taken yet is written by a thread of its own, which waits on the pipe without holding
        the interpreter: pushed only with the next message, it waited for the end of the printed sections, and the
        process, its pipe read to the last byte, waited with it (6 s of a build of 2,000 fiches, the index written
        after the sections instead of beside them)."""
        self._en_attente += json.dumps(["ecrire"]).encode() + b"\n"
        self._vidage = threading.Thread(target=self._vider, name="guide-indexation", daemon=True)
        self._vidage.start()

    def _vider(self) -> None:
        fd = self.processus.stdin.fileno()
        try:
            os.set_blocking(fd, True)
            while self._en_attente:
                with memoryview(self._en_attente) as vue:
                    ecrits = os.write(fd, vue[:1 << 20])
                del self._en_attente[:ecrits]
            os.set_blocking(fd, False)
        except OSError:  # the process has stopped (a broken pipe): `terminer` says why
            self._en_attente.clear()

    def _attendre_le_vidage(self) -> None:
        if self._vidage is not None:
            self._vidage.join()
            self._vidage = None

    def _pousser(self) -> None:
        while self._en_attente:
            try:
                with memoryview(self._en_attente) as vue:
                    ecrits = os.write(self.processus.stdin.fileno(), vue)
            except BlockingIOError:
                return  # the pipe is full: the rest goes with the next page
            except BrokenPipeError:
                self._en_attente.clear()  # the process has stopped: `terminer` says why
                return
            del self._en_attente[:ecrits]

    def terminer(self) -> dict[str, str]:
        """Wait for the index to be written, with every page handed over; return the words written with a
        ligature ({folded: as written}); the words of the pages ({word: pages}) are then in `self.mots`.
        Raises RuntimeError, in French, when the process or Pagefind failed."""
        try:
            try:
                self._attendre_le_vidage()
                self._en_attente += json.dumps(["fin"]).encode() + b"\n"
                os.set_blocking(self.processus.stdin.fileno(), True)
                self._pousser()
                self.processus.stdin.close()
                reponse = json.loads(self.processus.stdout.readline() or "{}")
                self.processus.wait(timeout=ATTENTE_MAX_S)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                reponse = {}
            if "ligatures" not in reponse:
                self._erreurs.seek(0)
                cause = reponse.get("erreur") or self._erreurs.read().decode(errors="replace").strip()[-2000:]
                raise RuntimeError(f"l'index de recherche (Pagefind) n'a pas pu être écrit : "
                                   f"{cause or 'raison inconnue'}")
            self.mots = reponse.get("mots", {})
            return reponse["ligatures"]
        finally:
            self.fermer()

    def fermer(self) -> None:
        """Stop the process (a build that ends early, or after `terminer`)."""
        if self.processus.poll() is None:
            self.processus.kill()
            self.processus.wait()
        self._attendre_le_vidage()  # its writes fail once the process is gone
        for flux in (self.processus.stdin, self.processus.stdout, self._erreurs):
            if not flux.closed:
                try:
                    flux.close()
                except OSError:
                    pass  # a pipe whose other end is gone


# ---------------------------------------------------------------------------- the process itself

async def _ouvrir(config):
    """(service, index): a Pagefind index on a service that reads each answer as it comes.

    Written here because the `pagefind` package (1.5.2, service/__init__.py) waits 0.1 s before reading
    each answer of its service: one answer per page is 200 s at 2,000 pages; and when the service stops, its
    requests wait forever. This reader is the library's `_wait_for_responses` without that wait, failing the
    waiting requests when the service ends. Its `send` writes each request as the library does, without the
    library's two debug lines, which format the whole request (the page's HTML, with repr) at every page whether
    or not debug is logged: 1.3 ms a page of 60 kB, four times the encoding itself. The service is the library's."""
    from pagefind.service import PagefindService

    class Service(PagefindService):
        async def send(self, payload):
            self._message_id += 1
            numero = self._message_id
            attente = self._loop.create_future()
            self._responses[numero] = attente
            # The library's encoding (pagefind.service._encode); the service reads up to the comma.
            requete = json.dumps({"message_id": numero, "payload": payload}).encode("utf-8")
            self._backend.stdin.write(base64.b64encode(requete) + b",")
            await self._backend.stdin.drain()
            return await attente

        async def _wait_for_responses(self) -> None:
            while True:
                try:
                    ligne = await self._backend.stdout.readuntil(b",")
                    reponse = json.loads(base64.b64decode(ligne[:-1]))
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                    # The service has stopped, or wrote something else than an answer (its error output shares
                    # the pipe: a write it could not do, a crash): every request still waiting fails with what
                    # it wrote, rather than waiting forever.
                    texte = getattr(exc, "partial", b"") or (ligne if isinstance(exc, ValueError) else b"")
                    cause = RuntimeError("le service Pagefind s'est arrêté : "
                                         + texte.decode(errors="replace").strip()[:500])
                    for attente in self._responses.values():
                        if not attente.done():
                            attente.set_exception(cause)
                    return
                if not reponse:
                    continue
                numero = reponse.get("message_id")
                if numero is None and reponse["payload"].get("original_message"):  # a request it could not read
                    numero = json.loads(reponse["payload"]["original_message"]).get("message_id")
                attente = self._responses.get(numero)
                if attente is None or attente.done():
                    continue
                if reponse["payload"]["type"] == "Error":
                    attente.set_exception(RuntimeError(reponse["payload"].get("message")))
                else:
                    attente.set_result(reponse["payload"])

    service = await Service().launch()
    return service, await service.create_index(config)


async def _indexer(exclus: list[str], sortie: str) -> dict:
    from pagefind.index import IndexConfig
    boucle = asyncio.get_running_loop()
    entree = asyncio.StreamReader(limit=LIGNE_MAX)
    await boucle.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(entree), sys.stdin.buffer)
    service, index = await _ouvrir(IndexConfig(exclude_selectors=exclus))
    envois, mots = [], {}
    vocabulaire = collections.Counter()  # word → number of pages
    a_ecrire = True  # pages handed over since the index was last written (or never written)

    async def ecrire():
        await asyncio.gather(*envois)
        # Bounded: Pagefind's service does not answer a write it cannot do (a folder it may not create).
        await asyncio.wait_for(index.write_files(output_path=sortie), ECRITURE_MAX_S)
        try:
            await asyncio.wait_for(_ecrits(sortie), ECRITURE_MAX_S)
        except asyncio.TimeoutError:
            raise RuntimeError(f"des fichiers de l'index sont encore incomplets {ECRITURE_MAX_S} s après leur "
                               "écriture") from None

    try:
        while line := await entree.readline():
            message = json.loads(line)
            if message[0] == "page":
                _, url, taille = message
                document = lecture((await entree.readexactly(taille)).decode())
                mots.update(ligatures(document))
                vocabulaire.update(mots_de_page(document))
                envois.append(asyncio.ensure_future(index.add_html_file(content=document, url=url)))
                a_ecrire = True
            elif message[0] == "ecrire":
                await ecrire()
                a_ecrire = False
            elif message[0] == "fin":
                if a_ecrire:  # pages came after the early write (the build's count of pages was short)
                    await ecrire()
                await _arreter(service)
                manque = verifier(sortie)
                if manque:
                    return {"erreur": manque}
                return {"ligatures": mots, "mots": vocabulaire}
        return {"erreur": "la construction s'est arrêtée avant la fin de l'index"}
    except Exception as exc:  # noqa: BLE001 - said to the build, which reports it in French
        return {"erreur": f"{type(exc).__name__} : {exc}"}
    finally:
        await _arreter(service)


async def _ecrits(sortie: str) -> None:
    """Wait until every file Pagefind has created in `sortie` holds all its content.

    Pagefind (1.5.2, output/mod.rs `write`) creates each file, then hands its bytes to tokio's `File::write_all`
    without `flush`: it answers the write when the bytes are queued for a background thread, not written, and it
    leaves its service with `process::exit` when its input closes. On a loaded machine, files were still empty
    after the answer (one CI build published an empty pagefind-entry.json, another an empty stylesheet), and one
    published a page's fragment cut short: a file may be written in several parts, and the service's exit cut the
    rest. So a file counts as written when it is whole: a gzip stream to its end (Pagefind's index, fragments,
    filters and WebAssembly), JSON that reads, any other file not empty. The service is asked to stop only then."""
    entiers: set[str] = set()
    while _incomplets(sortie, entiers):
        await asyncio.sleep(0.05)


def _incomplets(dossier: str, entiers: set | None = None) -> list[str]:
    """The files of `dossier` (and below) not yet whole (see `_ecrits`), by their path from it; `entiers`: the paths
    already found whole, not read again."""
    entiers = set() if entiers is None else entiers
    out = []
    for d, _, fichiers in os.walk(dossier):
        for f in fichiers:
            chemin = os.path.join(d, f)
            if chemin in entiers:
                continue
            if _entier(chemin):
                entiers.add(chemin)
            else:
                out.append(os.path.relpath(chemin, dossier))
    return out


def _entier(chemin: str) -> bool:
    try:
        with open(chemin, "rb") as f:
            octets = f.read()
    except OSError:
        return False
    if not octets:
        return False
    if octets[:2] == b"\x1f\x8b":  # gzip: whole when its stream reaches its end marker
        flux = zlib.decompressobj(wbits=31)
        try:
            flux.decompress(octets)
        except zlib.error:
            return False
        return flux.eof
    if chemin.endswith(".json"):
        try:
            json.loads(octets)
        except ValueError:
            return False
    return True


async def _arreter(service) -> None:
    """Let the service end on its own: its input closed, it finishes what it is writing and exits.

    The library's `close()` terminates the service as soon as its last answer has come, which may cut writes
    short (see _ecrits). Terminated only if it has not ended in ARRET_MAX_S."""
    backend = getattr(service, "_backend", None)
    if backend is None or backend.returncode is not None:
        return
    try:
        if backend.stdin is not None and not backend.stdin.is_closing():
            backend.stdin.close()
        await asyncio.wait_for(backend.wait(), ARRET_MAX_S)
    except (Exception, asyncio.CancelledError):  # noqa: BLE001 - a service that failed does not close cleanly
        if backend.returncode is None:
            backend.kill()
            await backend.wait()
    finally:
        service._poll_task.cancel()


def verifier(sortie: str) -> str | None:
    """None if the index in `sortie` is whole (its entry file readable, no file empty or cut short), else what is wrong, in
    French: a build never publishes a search that cannot load."""
    dossier = os.fspath(sortie)
    try:
        with open(os.path.join(dossier, "pagefind-entry.json"), encoding="utf-8") as f:
            entree = json.load(f)
        if not entree.get("languages"):
            return "l'index écrit par Pagefind ne nomme aucune langue (pagefind-entry.json)"
    except (OSError, ValueError) as exc:
        return f"l'index écrit par Pagefind est illisible (pagefind-entry.json : {exc})"
    incomplets = _incomplets(dossier)
    if incomplets:
        return (f"l'index écrit par Pagefind est incomplet ({len(incomplets)} fichier(s) vide(s) ou tronqué(s), dont "
                f"{sorted(incomplets)[0]})")
    return None


if __name__ == "__main__":
    # Below the build in the scheduler's eyes (Pagefind inherits it): on a machine with few cores, its
    # threads take what the build leaves, never the build's own core.
    os.nice(10)
    reponse = asyncio.run(_indexer(json.loads(sys.argv[1]), sys.argv[2]))
    sys.stdout.write(json.dumps(reponse, ensure_ascii=False) + "\n")
    sys.stdout.flush()
