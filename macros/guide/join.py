"""Step 3: join champs ↔ territoires ↔ actions ↔ sources, once per build.

Everything a page shows that depends on other fiches (the actions of a champ,
the territories of a region, the matrix) is computed here, never typed twice.
"""
from __future__ import annotations

import functools
import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from guide.modele.load import Document
from guide.modele.population import TRANCHE_INCONNUE, tranche
from guide.modele.slugs import slugify

FAMILLES = ("levier", "focus", "cadre")


# The joined objects point at each other (an action at its territory, a territory at its actions and the
# actions it shares…): their repr names them by their identifier only. A dataclass's own repr would write
# the whole graph, which grows with the fiches (gigabytes at the size of the guide, in a test's failure report).
def _repr_court(attribut: str):
    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self, attribut)!r})"
    return __repr__


@dataclass(repr=False)
class Action:
    """One action of one territory, tagged with the champs it illustrates."""

    __repr__ = _repr_court('src')

    territoire: "Territoire"
    index: int
    data: dict

    @functools.cached_property
    def ancre(self) -> str:
        """Stable anchor on the territory page: position plus slugified title."""
        return f"action-{self.index + 1}-{slugify(self.data['titre'])[:50].rstrip('-')}"

    @property
    def src(self) -> str:
        return f"{self.territoire.src}#{self.ancre}"

    @property
    def mention(self) -> bool:
        """Whether the source cites it in one breath with other territories, each for its own policy (`nature:
        mention`): shared, not carried together."""
        return self.data.get("nature") == "mention"

    coporteurs: list = field(default_factory=list, repr=False)  # Territoire objects of its `coporteurs`; set by join()
    leviers: list = field(default_factory=list, repr=False)     # Levier objects of its `leviers`; set by join()


@dataclass(repr=False)
class Levier:
    """One lever of a champ (a SPASER, social clauses…), with every action that names it in its `leviers`."""

    __repr__ = _repr_court('id')

    champ: "Champ"
    data: dict
    actions: list = field(default_factory=list, repr=False)
    voir_aussi: list = field(default_factory=list, repr=False)  # (Levier, its `voir_aussi` item); set by join()

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def ancre(self) -> str:
        """Anchor on the champ page; ids are unique across the guide, so one prefix keeps them apart from headings."""
        return f"levier-{self.id}"

    @property
    def src(self) -> str:
        return f"{self.champ.src}#{self.ancre}"

    @property
    def territoires(self) -> list:
        """Every territory using it: the carrier of each action and its co-carriers, by name."""
        return _territoires_des(self.actions)

    def actions_par_territoire(self) -> list:
        """[(territoire, [actions])]: each territory using it, by name, with the actions it carries or co-carries."""
        return _actions_par_territoire(self.actions)


@dataclass(repr=False)
class Champ:

    __repr__ = _repr_court('slug')
    slug: str
    doc: Document
    actions: list = field(default_factory=list)
    leviers: list = field(default_factory=list, repr=False)  # Levier, in the fiche's order; set by join()

    def __post_init__(self):
        self.data = self.doc.data  # an attribute, as Territoire's

    @property
    def src(self) -> str:
        """Source path of the generated page, for Markdown links MkDocs can check."""
        return f"champs/{self.slug}.md"

    @property
    def titre_court(self) -> str:
        return self.data.get("titre_court") or self.data["titre"]

    @property
    def territoires(self) -> list:
        """Territories with at least one action in this champ, carried or co-carried, by name: as the lever's
        « Qui le fait », the finder filtered on the champ and the matrix count them (reader QA: « 9 actions de
        9 territoires » where the finder listed 18, the co-carriers of shared actions left out)."""
        return _territoires_des(self.actions)

    @property
    def porteurs(self) -> set:
        """The slugs of the territories carrying an action of this champ (co-carriers left out)."""
        return {a.territoire.slug for a in self.actions}

    def actions_par_territoire(self) -> list:
        """[(territoire, [actions])]: each territory acting in this champ, by name, with the actions it carries or
        co-carries."""
        return _actions_par_territoire(self.actions)

    def levier_presentant(self, action: Action) -> "Levier | None":
        """The first of this champ's levers, in the page's order, that `action` names: the page gives the action's
        summary there, and sends to it from the others (jurist QA: an action under two levers of one champ had its
        summary twice in a row, Strasbourg's BoostInno on R&D sociale). From the action's few levers, not by
        searching every lever's list."""
        rang = {l.id: i for i, l in enumerate(self.leviers)}
        siens = [l for l in action.leviers if l.id in rang]
        return min(siens, key=lambda l: rang[l.id]) if siens else None


@dataclass(repr=False)
class Territoire:

    __repr__ = _repr_court('slug')
    slug: str
    doc: Document
    actions: list = field(default_factory=list)
    actions_partagees: list = field(default_factory=list)  # actions of other fiches naming it as coporteur
    officiel: object = None  # what the reference data says of it (referentiel.Officiel), set by build_guide

    def __post_init__(self):
        # An attribute, not a property: the join and every page read it, 100,000 times a build at 10,000 fiches.
        self.data = self.doc.data

    @property
    def src(self) -> str:
        return f"territoires/{self.slug}.md"

    @property
    def cle_tri(self) -> str:
        # Once per loaded fiche: every sort of territories (the join, champ pages, regions, finder) asks for it.
        return self.doc.derive(cle_de_tri)

    @property
    def champs(self) -> list:
        """Slugs of the champs this territory acts in."""
        return sorted({s for a in self.actions for s in a.data["champs"]})

    @property
    def toutes_actions(self) -> list:
        """Its own actions, then those of other fiches that name it as coporteur."""
        return self.actions + self.actions_partagees

    @property
    def leviers(self) -> list:
        """The levers its actions (own and shared) use, each once, in the order they were met."""
        return list({l.id: l for a in self.toutes_actions for l in a.leviers}.values())

    @property
    def region_expliquee(self) -> bool:
        """Whether the fiche's own note on its name (« À propos de cette fiche ») speaks of its region. Then the
        remark a region taken from the official reference otherwise gets (territoire.md.j2) would say it twice: 76
        fiches explained it in their note and again in the remarks, and the second, alone, took a printed sheet of its
        own after several of them (reader QA)."""
        note = self.data.get("note_nom")
        return isinstance(note, str) and "région" in note.lower()

    @property
    def champs_couverts(self) -> list:
        """The champs of all its actions (own and shared), mentions included, in publication order; set by join()."""
        return self._champs_couverts

    @property
    def champs_d_action(self) -> list:
        """The champs of its actions that are not mere mentions, in publication order; set by join(). A territory
        only cited in a champ (« mention ») does not act in it: « En bref » and its comparables say so (fact-checker
        QA: Bondy's « Champs d'action » named two champs where the study gives it no role)."""
        return self._champs_d_action

    @property
    def champs_cites(self) -> list:
        """The champs where it is only cited (its mentions), in publication order."""
        agis = {c.slug for c in self._champs_d_action}
        return [c for c in self._champs_couverts if c.slug not in agis]

    _champs_couverts: list = field(default_factory=list, repr=False)
    _champs_d_action: list = field(default_factory=list, repr=False)


@dataclass(repr=False)
class Guide:
    """The joined content of the whole guide, ready to render."""

    def __repr__(self) -> str:
        return f"Guide({len(self.champs)} champs, {len(self.territoires)} territoires, {len(self.actions)} actions)"

    champs: dict            # slug → Champ, in publication order (famille, numero)
    territoires: dict       # slug → Territoire, by name
    publications: dict      # id → publication data
    sigles: list
    messages: list
    actions: list
    referentiel: object = None  # the official reference data of the build (referentiel.Referentiel)

    @functools.cached_property
    def leviers(self) -> dict:
        """Lever id → Levier, champs in publication order, levers in their fiche's order."""
        return {l.id: l for c in self.champs.values() for l in c.leviers}

    def champs_de(self, famille: str) -> list:
        return [c for c in self.champs.values() if c.data["famille"] == famille]

    def actions_par_champ(self, territoire: Territoire) -> list:
        """[(champ, actions, ailleurs)] of one territory: every champ its actions (own and shared) act in, in
        publication order, as « En bref » lists them.

        Each own action is shown once, under its first champ (`actions`); its other champs are shown with it.
        `ailleurs`: the champ's actions shown elsewhere, as (action, the champ it is shown under), or (action, None)
        for an action another fiche carries (shown on that fiche): a reader who looks for the champ's heading
        finds them named there (71 of 111 territory pages listed a champ in « En bref » without its heading)."""
        out = []
        for c in territoire.champs_couverts:
            ici = [a for a in territoire.actions if a.data["champs"][0] == c.slug]
            ailleurs = [(a, self.champs[a.data["champs"][0]]) for a in territoire.actions if c.slug in a.data["champs"][1:]]
            ailleurs += [(a, None) for a in territoire.actions_partagees if c.slug in a.data["champs"]]
            out.append((c, ici, ailleurs))
        return out

    @functools.cached_property
    def champs_par_sigle(self) -> dict:
        """Acronym → the champs whose fiche (synthesis and fields) writes it, in publication order.

        An acronym counts where it stands as a word of its own, as the acronym treeprocessor finds it
        (« SCIC », not « SCICs » nor « ESS » inside « ESSOR »).
        """
        textes = {slug: _texte_de(c.doc.body) + "\n" + _texte_de(c.data) for slug, c in self.champs.items()}
        out = {}
        for s in self.sigles:
            # The acronym first, the letter before it checked after: a pattern opening with a lookbehind makes
            # the regex engine try every character of every champ's text.
            motif = re.compile(rf"{re.escape(s['sigle'])}(?![\w-])")
            out[s["sigle"]] = [c for slug, c in self.champs.items()
                               if any(not m.start() or not _MOT_OU_TIRET.match(textes[slug], m.start() - 1)
                                      for m in motif.finditer(textes[slug]))]
        return out

    # How many comparable territories a territory page lists.
    COMPARABLES_MAX = 5

    @functools.cached_property
    def _groupes_comparables(self) -> dict:
        """Slug → (its rank among the territories, {champ slug → slugs of the territories of its group acting in
        that champ}): a group is a type and a population band, the finder's (population.tranche, from the
        reference data attached after the join, hence computed on first use); a territory whose population is
        unknown has no group."""
        groupes: dict = defaultdict(lambda: defaultdict(list))
        out = {}
        for rang, t in enumerate(self.territoires.values()):
            bande = tranche(t)[0]
            if bande != TRANCHE_INCONNUE[0]:
                par_champ = groupes[(t.data["type"], bande)]
                for c in t.champs_d_action:
                    par_champ[c.slug].append(t.slug)
                out[t.slug] = (rang, par_champ)
        return out

    @functools.cached_property
    def _comparables_trouves(self) -> dict:
        return {}  # slug → its comparables, as pages ask (a preview build asks for one territory only)

    def comparables(self, territoire: Territoire) -> list:
        """[(territory, [champs in common])]: the territories of the same type and population band that act in
        at least one of the same champs (mentions aside: a territory only cited in a champ does not act in it), most champs in common first, then by name (COMPARABLES_MAX of them).
        Derived, never typed. Counted champ by champ within the group, not by comparing every pair of the
        group: at 10,000 fiches a group holds thousands of territories."""
        trouves = self._comparables_trouves
        if territoire.slug not in trouves:
            groupe = self._groupes_comparables.get(territoire.slug)
            if groupe is None:
                trouves[territoire.slug] = []
            else:
                rangs = self._groupes_comparables
                communs = Counter()
                for c in territoire.champs_d_action:
                    communs.update(groupe[1][c.slug])
                communs.pop(territoire.slug, None)
                meilleurs = heapq.nsmallest(self.COMPARABLES_MAX, communs.items(), key=lambda kv: (
                    -kv[1], self.territoires[kv[0]].cle_tri, rangs[kv[0]][0]))
                siens = {c.slug for c in territoire.champs_d_action}
                trouves[territoire.slug] = [
                    (self.territoires[s], [c for c in self.territoires[s].champs_d_action if c.slug in siens])
                    for s, _ in meilleurs]
        return trouves[territoire.slug]

    @staticmethod
    def tranche_de(territoire: Territoire) -> str:
        """The label of a territory's population band (« De 300 000 à 1 million d'habitants »)."""
        return tranche(territoire)[1]

    @staticmethod
    def cle_de_tranche(territoire: Territoire) -> str | None:
        """The identifier of a territory's population band, the finder's `population` filter; None when unknown."""
        cle = tranche(territoire)[0]
        return None if cle == TRANCHE_INCONNUE[0] else cle

    def par_region(self) -> list:
        """[(région, [territoires])], régions in the finder's order (grouped once per build: the printed sections,
        the finder and the map each ask)."""
        return self._regions

    @functools.cached_property
    def _regions(self) -> list:
        return _par_region(self.territoires.values(), lambda t: t)

    @staticmethod
    def par_region_des(paires: list) -> list:
        """[(région, [(territoire, [actions])])] of a list of (territoire, [actions]) (actions_par_territoire),
        régions in the finder's order, territories in the list's."""
        return _par_region(paires, lambda paire: paire[0])


def _territoires_des(actions) -> list:
    """The territories of some actions, carriers and co-carriers, by name."""
    seen = {}
    for action in actions:
        seen[action.territoire.slug] = action.territoire
        for other in action.coporteurs:
            seen[other.slug] = other
    return sorted(seen.values(), key=lambda t: t.cle_tri)


def _actions_par_territoire(actions) -> list:
    """[(territoire, [actions])]: each territory of some actions, by name, with those it carries or co-carries."""
    grouped = defaultdict(list)
    by_slug = {}
    for action in actions:
        for terr in [action.territoire, *action.coporteurs]:
            grouped[terr.slug].append(action)
            by_slug[terr.slug] = terr
    return [(by_slug[s], grouped[s]) for s in sorted(grouped, key=lambda s: by_slug[s].cle_tri)]


def _par_region(elements, territoire_de) -> list:
    """[(région, [elements])]: `elements` grouped by the région of their territory, in their order; régions
    sorted as the finder sorts them."""
    grouped = defaultdict(list)
    for element in elements:
        grouped[territoire_de(element).data["region"]].append(element)
    return sorted(grouped.items(), key=lambda kv: slugify(kv[0]))


_MOT_OU_TIRET = re.compile(r"[\w-]")


def _texte_de(value) -> str:
    """Every string of a fiche's data, one per line."""
    if isinstance(value, dict):
        return "\n".join(_texte_de(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_texte_de(v) for v in value)
    return value if isinstance(value, str) else ""


def cle_de_tri(doc: Document) -> str:
    """A territory fiche's place in every list of territories: its name as an address (« Île-de-France » among
    the I)."""
    return slugify(doc.data["nom"])


def _champs_des_actions(doc: Document) -> frozenset:
    """The champs of a territory fiche's own actions (Document.derive: once per loaded file)."""
    return frozenset(s for action in doc.data.get("actions", []) for s in action["champs"])


def _champs_agis(doc: Document) -> frozenset:
    """The champs of a territory fiche's own actions that are not mentions (Document.derive)."""
    return frozenset(s for action in doc.data.get("actions", []) if action.get("nature") != "mention"
                     for s in action["champs"])


def join(champs: dict, territoires: dict, sources: Document, sigles: Document | None,
         messages: Document | None) -> Guide:
    """Build the Guide from validated documents."""
    order = {f: i for i, f in enumerate(FAMILLES)}
    champ_objs = {slug: Champ(slug, doc) for slug, doc in
                  sorted(champs.items(), key=lambda kv: (order[kv[1].data["famille"]], kv[1].data["numero"]))}
    terr_objs = {slug: Territoire(slug, doc) for slug, doc in
                 sorted(territoires.items(), key=lambda kv: kv[1].derive(cle_de_tri))}
    leviers = {}
    for champ in champ_objs.values():
        champ.leviers = [Levier(champ, data) for data in champ.data.get("leviers", [])]
        leviers.update((l.id, l) for l in champ.leviers)
    for levier in leviers.values():
        levier.voir_aussi = [(leviers[lie["levier"]], lie) for lie in levier.data.get("voir_aussi", [])]
    # One pass over the actions, in the order of the territories: each list an action joins (its champs', its
    # levers', its co-carriers' shared actions) is in that order too.
    all_actions = []
    for terr in terr_objs.values():
        for i, data in enumerate(terr.data.get("actions", [])):
            action = Action(terr, i, data, [terr_objs[other] for other in data.get("coporteurs", [])],
                            [leviers[ident] for ident in data.get("leviers", [])])
            terr.actions.append(action)
            all_actions.append(action)
            for slug in data["champs"]:
                champ_objs[slug].actions.append(action)
            for other in action.coporteurs:
                other.actions_partagees.append(action)
            for levier in action.leviers:
                levier.actions.append(action)
    # Territories acting in the same champs share one list (read only): at 10,000 fiches, a few hundred sets.
    couverts_par_ensemble = {}

    def en_liste(slugs: frozenset) -> list:
        couverts = couverts_par_ensemble.get(slugs)
        if couverts is None:
            couverts = couverts_par_ensemble[slugs] = [c for slug, c in champ_objs.items() if slug in slugs]
        return couverts

    for terr in terr_objs.values():
        slugs, agis = terr.doc.derive(_champs_des_actions), terr.doc.derive(_champs_agis)
        if terr.actions_partagees:
            slugs = slugs.union(s for a in terr.actions_partagees for s in a.data["champs"])
            agis = agis.union(s for a in terr.actions_partagees if not a.mention for s in a.data["champs"])
        terr._champs_couverts, terr._champs_d_action = en_liste(slugs), en_liste(agis)
    publications = {p["id"]: p for p in sources.data["publications"]}
    return Guide(
        champs=champ_objs,
        territoires=terr_objs,
        publications=publications,
        sigles=sorted((sigles.data["sigles"] if sigles else []), key=lambda s: slugify(s["sigle"])),
        messages=(messages.data["messages"] if messages else []),
        actions=all_actions,
    )
