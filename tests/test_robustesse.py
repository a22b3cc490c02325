"""Property-based tests: arbitrary and mutated fiches never crash the loader, the validator or the
formatter; a bad fiche always gets an error that names its file."""
from __future__ import annotations

import re

import shutil
import time
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from guide import load_all
from guide.modele.validate import fast_validators, schemas

sys.path.insert(0, str(ROOT / "scripts"))
import formater  # noqa: E402

REL = "fiches/territoires/fiche-essai.md"
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _racine(tmp_path_factory, nom: str) -> Path:
    """The real champs and sources, and room for one territory fiche."""
    root = tmp_path_factory.mktemp(nom)
    shutil.copytree(ROOT / "fiches" / "champs", root / "fiches" / "champs")
    shutil.copy(ROOT / "fiches" / "sources.yaml", root / "fiches" / "sources.yaml")
    (root / "fiches" / "territoires").mkdir()
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The real champs and sources, and room for one territory fiche."""
    return _racine(tmp_path_factory, "robustesse")


def standalone_fiches() -> list[str]:
    """Real territory fiches valid on their own (no reference to another territory)."""
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fiches" / "territoires").glob("*.md"))
            if "coporteurs" not in p.read_text(encoding="utf-8") and "actions: []" not in p.read_text(encoding="utf-8")]


BASES = standalone_fiches()


def check(root: Path, content: str | bytes) -> list:
    """Load and validate with one territory fiche; never raises; errors always name a file."""
    path = root / REL
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    _, _, errors = load_all(root)
    for error in errors:
        assert error.path and error.message and str(error).startswith(error.path)
    # The formatter either formats without changing the data or refuses with a French message; a fiche the validator
    # accepts, it formats (attacker QA: two blank lines in a résumé, refused by the formatter and its pre-commit hook,
    # whose message sent the editor to the validator, which found nothing wrong).
    if isinstance(content, str):
        try:
            formater.format_text(content, "territoires")
        except formater.FormatError as exc:
            assert str(exc)
            # (but for a comment it would lose, which the validator has no reason to refuse: the message says where
            # to write it instead)
            assert errors or "le commentaire" in str(exc), f"le validateur accepte la fiche, le formateur la refuse : {exc}"
    return errors


def test_bases_are_valid(root):
    assert BASES
    assert check(root, BASES[0]) == []


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(root, content):
    errors = check(root, content)
    assert any(e.path == REL for e in errors)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(root, content):
    errors = check(root, content)
    assert any(e.path == REL for e in errors)


@SETTINGS
@given(st.sampled_from(BASES), st.data())
def test_text_mutations(root, base, data):
    """Delete, insert or duplicate characters and lines of a valid fiche."""
    lines = base.split("\n")
    kind = data.draw(st.sampled_from(["supprimer", "inserer", "dupliquer", "indenter", "caractere"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    if kind == "supprimer":
        del lines[i]
    elif kind == "inserer":
        lines.insert(i, data.draw(st.text(max_size=40)))
    elif kind == "dupliquer":
        lines.insert(i, lines[i])
    elif kind == "indenter":
        lines[i] = " " * data.draw(st.integers(1, 5)) + lines[i]
    else:
        j = data.draw(st.integers(0, max(len(lines[i]) - 1, 0)))
        lines[i] = lines[i][:j] + data.draw(st.characters()) + lines[i][j + 1:]
    text = "\n".join(lines)
    errors = check(root, text)
    if text != base and errors:
        assert any(e.path == REL for e in errors)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["{{ 1 + 1 }}", "{% raw %}", "<script>alert(1)</script>", "javascript:alert(1)", "", "---"]),
    # Keys of every kind YAML reads (« 2021: », « {page: 58, 63} » gives the key 63): a number as a key stopped the
    # schema check with a ValueError.
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.text(max_size=8) | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none(), children,
        max_size=3),
    max_leaves=6,
)


def paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, path + (i,))


def _cles_texte(value) -> bool:
    """Whether every key of every mapping in `value` is text."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _cles_texte(v) for k, v in value.items())
    return all(_cles_texte(v) for v in value) if isinstance(value, list) else True


def mutated(base: str, data) -> tuple[dict, str]:
    """A real fiche (data, body) with one field, drawn at any depth, replaced by any YAML value."""
    header, body = base.split("\n---\n", 1)
    fiche = yaml.safe_load(header.removeprefix("---\n"))
    target = data.draw(st.sampled_from([p for p in paths(fiche) if p]))
    value = data.draw(VALUES)
    node = fiche
    for part in target[:-1]:
        node = node[part]
    node[target[-1]] = value
    return fiche, body


@pytest.mark.parametrize("valeur", ["[]", "{a: 1}", "12", "true", "''"])
def test_a_type_of_any_shape_beside_a_code_is_reported(root, valeur):
    """The duplicate-code check reads `type` to know which list a code belongs to: a list there (found by
    hypothesis in CI's derandomised run) stopped the validator with a TypeError."""
    base = next(b for b in BASES if "\ncode_insee:" in b)
    errors = check(root, re.sub(r"(?m)^type: .*$", "type: " + valeur, base, count=1))
    assert any(e.field == "type" for e in errors), [str(e) for e in errors]


def _sans_code() -> str:
    """A real fiche without an official code: the reference's lookups by name read its `type`, `nom` and `region`."""
    return next(b for b in BASES if "\ncode_officiel_absent:" in b)


@pytest.mark.parametrize("valeur", ["[commune]", "{a: b}", "12", "true", "[]"])
@pytest.mark.parametrize("cle", sorted(set(re.findall(r"(?m)^([a-z_]+): (?![>|\s])", _sans_code()))))
def test_a_one_line_field_of_any_shape_in_a_fiche_without_code_is_reported(racine_et_referentiel, cle, valeur):
    """« type: [commune] » in a fiche without a code stopped the validator and the build with « unhashable type »,
    no file nor line (attacker QA): every one-line field of such a fiche, given a list, a mapping, a number or a
    boolean, is reported (or accepted) in French, never a crash; with the official reference installed, whose
    lookups by name read `type`, `nom` and `region`."""
    base = _sans_code()
    errors = check(racine_et_referentiel, re.sub(rf"(?m)^{cle}: .*$", f"{cle}: {valeur}", base, count=1))
    assert all(e.path for e in errors)


@pytest.fixture(scope="module")
def racine_et_referentiel(tmp_path_factory) -> Path:
    """The real champs and sources, the official reference (node_modules, shared), and room for one territory fiche."""
    root = _racine(tmp_path_factory, "robustesse-referentiel")
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return root


@pytest.mark.parametrize("avant, apres", [
    ("\ntype: ", "\n2021: texte\ntype: "),                        # a year typed as a key
    ('page: "', 'page: 58, 63, x: "'),                               # two pages in braces: 63 is a key
    ("\nsources:\n", "\nsources:\n  - 1.5: x\n"),                 # a decimal number
])
def test_a_number_written_as_a_key_is_reported_at_its_line(root, avant, apres):
    base = next(b for b in BASES if 'page: "' in b and "\nsources:\n" in b)
    text = base.replace(avant, apres, 1)
    assert text != base
    errors = check(root, text)
    lus = [e for e in errors if "est lu comme une clé" in e.message]
    assert lus and all(e.line and text.split("\n")[e.line - 1].count(":") for e in lus), [str(e) for e in errors]
    assert all("ValueError" not in e.message for e in errors), [str(e) for e in errors]


@pytest.mark.parametrize("suite", ["#3 de la stratégie", "#CUA", "#1er"])
def test_a_text_cut_at_a_glued_hash_is_refused_with_the_quoted_value(root, suite):
    """« titre: Champ #3 de la stratégie » was published « Champ »: YAML took the rest for a comment."""
    base = next(b for b in BASES if "\n  - titre: " in b)
    titre = re.search(r"(?m)^  - titre: (.*)$", base).group(1)
    text = base.replace(f"  - titre: {titre}", f"  - titre: Champ {suite}", 1)
    errors = [e for e in check(root, text) if "coupé avant" in e.message]
    assert len(errors) == 1 and errors[0].field.endswith("[0].titre"), [str(e) for e in errors]
    assert f'titre: "Champ {suite}"' in errors[0].message
    assert text.split("\n")[errors[0].line - 1].endswith(suite)
    # A comment written as one (« # » then a space) is still a comment.
    assert not check(root, base.replace(f"  - titre: {titre}", f"  - titre: {titre}  # à vérifier", 1))


def _listes_de_textes() -> list[tuple[str, ...]]:
    """Where the territory schema holds a list of texts or identifiers, at the top of a fiche or in an action."""
    from guide.modele.schemas import schema_documents
    schema = schema_documents()["territoire.schema.yaml"]["properties"]
    niveaux = [((), schema), (("actions",), schema["actions"]["items"]["properties"])]
    return [chemin + (cle,) for chemin, proprietes in niveaux for cle, p in proprietes.items()
            if p.get("type") == "array" and "$ref" in p.get("items", {})]


@pytest.mark.parametrize("chemin", _listes_de_textes(), ids="/".join)
@pytest.mark.parametrize("element", ["{argenteuil: co-financeur}", "[argenteuil]", "12"])
def test_a_list_of_texts_holding_another_shape_is_reported_at_its_line(root, chemin, element):
    """« coporteurs: [argenteuil: co-financeur] » stopped the validator and the build with « unhashable type: 'dict' »
    and no file nor line (attacker QA). Every list of texts the schema declares, given a mapping, a list or a number
    as an item, is reported at the fiche's line, whatever check reads it after the schema."""
    header, body = BASES[0].split("\n---\n", 1)
    fiche = yaml.safe_load(header.removeprefix("---\n"))
    node = fiche["actions"][0] if chemin[0] == "actions" else fiche
    node[chemin[-1]] = ["une-valeur", yaml.safe_load(element)]
    errors = check(root, "---\n" + yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False) + "---\n" + body)
    assert any(e.path == REL and e.line and chemin[-1] in (e.field or "") for e in errors), errors


@SETTINGS
@given(st.sampled_from(BASES), st.data())
def test_structured_mutations(root, base, data):
    """Replace any field of a valid fiche by any YAML value: checked, never a crash."""
    fiche, body = mutated(base, data)
    text = "---\n" + yaml.safe_dump(fiche, allow_unicode=True, sort_keys=False) + "---\n" + body
    errors = check(root, text)
    if errors:
        assert any(e.path == REL for e in errors)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BASES), st.data())
def test_fast_validator_agrees_with_jsonschema(base, data):
    """The build's fast path (jsonschema-rs) accepts exactly the fiches jsonschema accepts: a fiche it
    let through would never get the French error report."""
    fiche, _ = mutated(base, data)
    # Only what reaches the schema check: the loader refuses a key that is not text before it (see above).
    assume(_cles_texte(fiche))
    fast = fast_validators()["territoire.schema.yaml"].is_valid(fiche)
    full = not any(True for _ in schemas()["territoire.schema.yaml"].iter_errors(fiche))
    assert fast == full, fiche


_VALEUR = __import__("re").compile(r"^(\s*(?:- )?[a-z_]+:) ([^\s&*!|>\[{'\"#-].*)$")


@SETTINGS
@given(st.sampled_from(BASES), st.data())
def test_yaml_anchor_anywhere_is_refused_at_its_line(root, base, data):
    """An anchor (&nom) put on any value of a valid fiche: refused in French at that line, never expanded."""
    lines = base.split("\n")
    end = lines.index("---", 1)
    candidates = [i for i in range(1, end) if _VALEUR.match(lines[i])]
    i = data.draw(st.sampled_from(candidates))
    lines[i] = _VALEUR.sub(r"\1 &ancre \2", lines[i])
    errors = check(root, "\n".join(lines))
    assert [e.line for e in errors if e.path == REL] == [i + 1]
    assert "&ancre" in errors[0].message


@settings(max_examples=300, deadline=None)
@given(st.text() | st.lists(st.text(), max_size=3))
def test_csv_cells_never_start_a_formula(value):
    """OWASP's CSV injection rule holds for any text or list of texts (export._cell)."""
    from guide.sorties.export import DEBUT_DE_FORMULE, _cell
    cell = _cell(value)
    assert not cell.startswith(DEBUT_DE_FORMULE)
    if cell.startswith("'") and not (value if isinstance(value, str) else " | ".join(value)).strip().startswith("'"):
        assert cell[1:2] in DEBUT_DE_FORMULE


_VILLES = ["Ville d'Amont", "Ville d'Aval", "Ville du Centre", "Ville du Port"]


def _fiche_ville(nom: str, *, action: bool, coporteur: str | None, publication: str) -> str:
    actions = ("actions:\n  - titre: Action de " + nom + "\n    champs: [champ-essai]\n    resume: Un résumé.\n"
               + (f"    coporteurs: [{coporteur}]\n" if coporteur else "")
               + f"    sources:\n      - {{publication: {publication}, page: 4}}\n") if action else "actions: []\n"
    return (f"---\nnom: \"{nom}\"\ntype: commune\nregion: Bretagne\nsources:\n  - {{publication: pub-essai, page: 4}}\n"
            f"{actions}---\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(_VILLES + ["Ville d'Аmont"]), st.booleans(),
                          st.sampled_from([None, "ville-0", "ville-1", "ville-9"]),
                          st.sampled_from(["pub-essai", "pub-inconnue"]), st.booleans()), min_size=1, max_size=6))
def test_checks_across_fiches_kept_between_loads_report_what_a_fresh_load_reports(tmp_path_factory, editions):
    """Under `mkdocs serve` the checks across fiches keep what each territory fiche gives on its own side
    (check_references' memo, in guide.Memoire): after any sequence of saves (a name made equal to another's or
    confusable with it, an action removed or given a co-carrier, an unknown publication, a fiche deleted), the
    report is the one a fresh load gives, in the same order."""
    import fiches_essai
    from guide import Memoire
    root = fiches_essai.projet(tmp_path_factory.mktemp("memo"), "champ-essai", "Champ d'essai", {
        f"ville-{i}.md": _fiche_ville(nom, action=True, coporteur=None, publication="pub-essai")
        for i, nom in enumerate(_VILLES)})
    memoire = Memoire()
    load_all(root, memoire=memoire)
    for i, nom, action, coporteur, publication, supprimer in editions:
        path = root / "fiches" / "territoires" / f"ville-{i}.md"
        if supprimer and path.exists():
            path.unlink()
        else:
            path.write_text(_fiche_ville(nom, action=action, coporteur=coporteur, publication=publication),
                            encoding="utf-8")
        _, _, gardees = load_all(root, memoire=memoire)
        _, _, neuves = load_all(root)
        assert [str(e) for e in gardees] == [str(e) for e in neuves]


@pytest.mark.parametrize("debut, motif, fin", [("", m, "x") for m in ["a", "1", "a.", "a-", "ab@", "1.", "_a", "*a", "a ",
                                                                      "é", "http://a.", "[a", "&a"]]
                         # a word cut at a line's end followed by a run of spaces (validate._COUPURE: 30 s once)
                         + [("ab-", " ", "x"), ("ab-", "\t", "x"), ("1,234", ",234", "x")]
                         # a run of tabs after a word, then the line's end (validate._TABULATION_ENTRE_MOTS: 10 s once)
                         + [("La", "\t", "\n")])
def test_a_long_text_costs_the_validation_time_in_proportion(root, debut, motif, fin):
    """A word of 40,000 letters (under the 50,000 characters a text may hold) took the validation 13 s, three fiches
    62 s, and as long in the build and the preview (editor QA): a pattern of the checks was tried from each letter
    of the run and read the rest of it each time, a time that grows with the square of the text. Whatever the
    characters, the CPU time a long text adds to a load is now small beside the load itself (measured, not
    listed: each motif is repeated to the length the schema allows)."""
    base = next(b for b in BASES if "\n---\n" in b)

    def cpu(corps: str) -> float:
        (root / REL).write_text(base.rstrip("\n") + "\n\n" + corps + "\n", encoding="utf-8")
        debut = time.process_time()
        _, _, errors = load_all(root)
        duree = time.process_time() - debut
        assert not [e for e in errors if "trop long" in e.message], errors
        return duree

    court = min(cpu(debut + motif * 3 + fin) for _ in range(3))
    long = cpu(debut + (motif * 40000)[:40000 - len(debut)] + fin)
    assert long - court < 2 * court + 0.1, (motif, round(court, 3), round(long, 3))


@pytest.mark.parametrize("lettre", ["a", " "])
def test_a_long_name_on_several_lines_costs_the_validation_time_in_proportion(root, lettre):
    """A name must hold something besides spaces, on one line (commun.schema.yaml, « nom »): written as a pattern
    with two runs that could share the same letters, a name of 50,000 letters and a line break would have cost the
    explanation of its errors (Python's regular expressions) minutes; it is read one way."""
    base = next(b for b in BASES if "\nnom:" in b)

    def cpu(nom: str) -> float:
        texte = re.sub(r"(?m)^nom:.*$", lambda _: "nom: |\n  " + nom, base, count=1)
        (root / REL).write_text(texte, encoding="utf-8")
        debut = time.process_time()
        _, _, errors = load_all(root)
        assert errors
        return time.process_time() - debut

    court = min(cpu(lettre * 3 + "x") for _ in range(3))
    long = cpu(lettre * 49000 + "x")
    assert long - court < 2 * court + 0.1, (lettre, round(court, 3), round(long, 3))


def test_a_long_line_of_a_broken_header_costs_its_explanation_time_in_proportion():
    """A résumé's line « note », 40,000 spaces and « a:b », then « objectif: … »: the header is broken, and explaining
    where (load._deux_points_oublie_avant) took the validator 5 s, 19 s at 80,000 spaces (verifier QA): a pattern
    tried each split of the spaces."""
    from guide.modele.load import parse_yaml

    def cpu(espaces: int) -> float:
        texte = ("nom: Ville\nactions:\n  - titre: Une action\n    resume: La ville participe\n      note"
                 + " " * espaces + "a:b\n      objectif: une stratégie.\n")
        debut = time.process_time()
        _, _, errors = parse_yaml(texte, "fiches/territoires/x.md")
        assert errors
        return time.process_time() - debut
    court = min(cpu(3) for _ in range(3))
    assert cpu(80_000) - court < 2 * court + 0.1
