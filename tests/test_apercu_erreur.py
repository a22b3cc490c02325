"""The preview (`./scripts/servir.sh`, `mkdocs serve --dirty`) when a saved fiche breaks the build: the last
good site is still served, every page (the form's /admin/ too) shows the French report in the browser, and
the next good build takes it away. Also checks the unit parts without a server (the report's HTML)."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT
from playwright.sync_api import expect

from guide.construction import apercu  # noqa: E402


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def test_the_report_is_escaped_text():
    html = apercu.bandeau("fiches/territoires/x.md, ligne 3 : <script>alert(1)</script> « nom »").decode()
    assert "<script>" not in html and "&lt;script&gt;" in html and 'role="alert"' in html


def test_a_fiche_that_breaks_the_preview_is_reported_in_the_browser_over_the_last_good_site(project_copy, page):
    sys.path.insert(0, str(ROOT / "scripts"))
    import benchmark
    servir = (ROOT / "scripts" / "servir.sh").read_text(encoding="utf-8")
    assert "mkdocs " + " ".join(benchmark.SERVE) in servir  # the command servir.sh runs
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temporaire = project_copy / "tmp"  # the system's temporary folder, for this preview only
    temporaire.mkdir()
    # Ctrl+C as in an editor's terminal: a suite started in the background (`… &` in a script) ignores SIGINT, and
    # a child inherits an ignored signal, so the server would never hear the Ctrl+C this test sends.
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", *benchmark.SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project_copy, env={**benchmark.ENV, "TMPDIR": str(temporaire)},
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        fiche = sorted((project_copy / "fiches" / "territoires").glob("*.md"))[0]
        base = f"http://127.0.0.1:{port}"
        url = f"{base}/territoires/{fiche.stem}/"
        deadline = time.time() + 600
        while _get(url) is None:
            assert time.time() < deadline and server.poll() is None, "mkdocs serve n'a pas servi le guide"
            time.sleep(0.3)
        time.sleep(2)  # the watcher settles after the first build
        # MkDocs' live-reload script on every page but the editors' form: a save (the form's own) reloaded it, and
        # what the editor was typing next was lost.
        assert "livereload(" in _get(url) and "livereload(" not in _get(f"{base}/admin/")
        refus = []  # the pages' policy must let the preview's live-reload script run (apercu.py)
        page.on("console", lambda m: refus.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(url)
        titre = page.locator("h1").first.inner_text()
        # The editors' form, open in another tab as CONTRIBUTING says: it is not reloaded, and the report the preview
        # puts at the top of its pages stayed under Decap's editor (editor QA); the form shows it in its own frame.
        formulaire = page.context.new_page()
        formulaire.goto(f"{base}/admin/")
        rapport = formulaire.locator("#guide-construction")
        formulaire.wait_for_function("document.querySelector('#guide-construction') !== null")
        assert not rapport.is_visible()
        good = fiche.read_text(encoding="utf-8")
        # An unknown région: the schema refuses it, as it would a value saved by hand or by an older form.
        fiche.write_text(good.replace("\nregion: ", "\nregion: Atlantide\nancienne_region: ", 1), encoding="utf-8")
        alert = page.locator("#guide-erreur-apercu")
        alert.wait_for(timeout=120_000)  # the browser reloads by itself once the build has failed
        report = alert.inner_text()
        assert "la construction a échoué" in report and f"fiches/territoires/{fiche.name}" in report
        assert "Atlantide" in report
        assert page.locator("h1").first.inner_text() == titre  # the last good page, still served
        assert "Traceback" not in report
        assert "#guide-erreur-apercu" and 'id="guide-erreur-apercu"' in (_get(f"{base}/admin/") or "")
        expect(rapport).to_be_visible(timeout=20_000)
        assert f"fiches/territoires/{fiche.name}" in rapport.inner_text() and "Atlantide" in rapport.inner_text()
        # (about the site, not the entry open: « Enregistré » stood over a new entry not saved yet; editor QA)
        assert "L'aperçu du site ne se met plus à jour : la construction refuse une fiche enregistrée" in rapport.inner_text()
        # …and never over the list of what stops the save being made, whose « Fermer » it covered (editor QA)
        formulaire.evaluate("document.getElementById('guide-erreurs').hidden = false")
        expect(rapport).to_be_hidden(timeout=20_000)
        formulaire.evaluate("document.getElementById('guide-erreurs').hidden = true")
        expect(rapport).to_be_visible(timeout=20_000)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=str(project_copy / "apercu-erreur-1366.png"))
        fiche.write_text(good, encoding="utf-8")
        try:
            alert.wait_for(state="detached", timeout=120_000)  # the next good build takes the report away
        except Exception:
            raise AssertionError(alert.inner_text()) from None
        expect(rapport).to_be_hidden(timeout=20_000)
        assert not refus, refus
        assert list(temporaire.glob("guide-apercu-*")), "l'aperçu n'a pas créé son fichier surveillé"
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C, as an editor stops the preview
        try:
            output = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            # A server still building when the signal comes: an editor presses Ctrl+C again. The temporary folder
            # must still go.
            server.send_signal(signal.SIGINT)
            try:
                output = server.communicate(timeout=30)[0]
            except subprocess.TimeoutExpired:
                server.kill()
                output = server.communicate()[0]
        print(output[-4000:])  # shown by pytest when the test fails
    assert "Traceback" not in output and "An error happened during the rebuild" not in output
    assert "Aperçu : la construction a échoué" in output
    assert not list(temporaire.glob("guide-apercu-*")), "l'aperçu a laissé son dossier temporaire"
