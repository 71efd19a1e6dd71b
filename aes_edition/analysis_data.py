"""The editors' analysis of the paper's argument, as data: concepts and propositions (the
concept map), and objectives, findings, recommendations and the links between them (the
traceability matrix).

Every row names the paragraph or paragraphs it comes from, and rows that restate the
paper carry a short quotation that must be found, word for word, in one of those
paragraphs. Loading validates all of it, so that a mistyped concept id, a paragraph that
does not exist or a quotation the paper does not contain stops the build with the file,
the row and the field to fix, instead of drawing a wrong map.

The two notebooks load only what they draw: :func:`load_concept_map` reads the concepts
and propositions, :func:`load_traceability` the objectives, findings, recommendations and
their links. What each reads is declared in the notebook's metadata (see
:mod:`aes_edition.notebook_inputs`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scholarly_edition.fidelity import copy_text_lines, normalise
from scholarly_edition.strict_data import DataError, check_unique, load_yaml, read_rows

from .emendations import load_emendations
from .grounds import QUALIFIER, SUPPORT_WORDS, UNVERIFIED_ONLY, Work, category, check_named_as_unverified, check_works, works
from .myst_blocks import inline_words
from .paragraphs import Paragraph, paragraph_index
from .paths import CHAPTERS, COPY_TEXT, DATA
from .reference_register import BIB

CONCEPT_KINDS = ("concept", "actor", "institution", "event", "place")
OBJECTIVE_KINDS = ("objective", "hypothesis")
OBJECTIVE_STATUSES = ("complete", "truncated")
FINDING_KINDS = ("motive", "effect", "risk", "challenge", "prospect", "assessment")
TRACE_KINDS = ("addressed", "partly addressed", "asserted without evidence")
BEARINGS = ("supports", "qualifies", "undercuts")
RECOMMENDATION_LINK_KINDS = ("rests on", "implied by")

CONCEPT_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PROPOSITION_ID = re.compile(r"^P[0-9]{2}$")
FINDING_ID = re.compile(r"^F[0-9]{2}$")
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


@dataclass(frozen=True)
class Concept:
    """A node of the concept map: an idea, actor, institution, event or place the paper names."""

    id: str
    label: str
    kind: str
    level: int  # 1 = the most general; higher numbers are more specific
    glossary_term: str
    paras: tuple[str, ...]  # where the paper names or discusses it


@dataclass(frozen=True)
class Proposition:
    """A concept-map proposition: concept, linking phrase, concept, as the paper states it."""

    id: str
    source: str
    link: str
    target: str
    paras: tuple[str, ...]
    quote: str  # words of one of ``paras`` that state it


@dataclass(frozen=True)
class Objective:
    """One of the paper's objectives (i–iv) or one claim of the hypothesis in its abstract."""

    id: str
    kind: str
    para: str
    printed: str  # as the source prints it
    status: str  # "truncated" when the source breaks off
    short: str  # a few words for figures and table headers
    note: str


@dataclass(frozen=True)
class Finding:
    """A finding the paper states, in the editors' words, with the paper's own words as proof."""

    id: str
    kind: str
    short: str
    statement: str
    paras: tuple[str, ...]
    quote: str
    grounds: str  # what support the paper gives for it
    works: tuple[str, ...] = ()  # works of the reference list the paper cites for it
    grounds_category: str = ""  # derived from the register: see aes_edition.grounds


@dataclass(frozen=True)
class TraceLink:
    """How far a finding answers an objective (or bears on a claim of the hypothesis)."""

    objective: str
    finding: str
    kind: str
    bearing: str  # hypothesis claims only: supports, qualifies or undercuts
    note: str
    row: int


@dataclass(frozen=True)
class Recommendation:
    """One of the paper's recommendations (i–v)."""

    id: str
    para: str
    title: str
    note: str


@dataclass(frozen=True)
class RecommendationLink:
    """A finding (or challenge) that a recommendation rests on, or is only implied by."""

    recommendation: str
    finding: str
    kind: str
    note: str
    row: int


@dataclass(frozen=True)
class ConceptMapData:
    """The validated concepts and propositions."""

    concepts: dict[str, Concept]
    propositions: list[Proposition]


@dataclass(frozen=True)
class TraceabilityData:
    """The validated objectives, findings, recommendations and the links between them."""

    objectives: dict[str, Objective]
    findings: dict[str, Finding]
    trace_links: list[TraceLink]
    recommendations: dict[str, Recommendation]
    recommendation_links: list[RecommendationLink]
    works: dict[str, Work] = dataclasses.field(default_factory=dict)  # the paper's works, with the register's status


# --- shared checks -------------------------------------------------------------------


def _choice(path: Path, number: int, field: str, value: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise DataError(path, number, field, f"unknown value '{value}' (one of: {', '.join(allowed)})")
    return value


def _paras(path: Path, number: int, field: str, value: str, known: dict[str, Paragraph]) -> tuple[str, ...]:
    """Space-separated paragraph ids, each of which must exist in the chapters."""
    ids = tuple(value.split())
    if not ids:
        raise DataError(path, number, field, "no paragraph id given")
    for pid in ids:
        if pid not in known:
            raise DataError(path, number, field, f"unknown paragraph id '{pid}'")
    if len(set(ids)) != len(ids):
        raise DataError(path, number, field, "a paragraph id is repeated")
    return ids


def paper_words(paragraph: Paragraph, printed: dict[str, str]) -> str:
    """A paragraph's text as the paper prints it, from its MyST source: a linked term or
    cross-reference is reduced to its text, an emendation to its printed reading (``printed``
    maps emendation ids to them); a citation, whose words Sphinx writes, is left out."""

    def words(role: str, body: str) -> str:
        if role == "emend":
            return printed.get(body.strip(), "")
        if role.startswith("cite"):
            return " "
        return re.sub(r"\s*<[^>]*>$", "", body)

    return normalise(inline_words(paragraph.source, words))


def _quote(path: Path, number: int, quote: str, paras: tuple[str, ...], known: dict[str, Paragraph],
           printed: dict[str, str]) -> str:
    """The quotation must be the paper's words: found in one of the row's paragraphs."""
    wanted = normalise(quote)
    if not any(wanted in paper_words(known[pid], printed) for pid in paras):
        raise DataError(path, number, "quote", f"not found in {' or '.join(paras)}: {quote[:80]!r}")
    return quote


def _printed(path: Path, number: int, printed: str, copy_text: Path) -> str:
    """Objectives and recommendation titles are given as the source prints them."""
    corpus = normalise(" ".join(line for _n, line in copy_text_lines(copy_text)))
    if normalise(printed) not in corpus:
        raise DataError(path, number, "printed", f"not in the copy-text as printed: {printed[:80]!r}")
    return printed


def glossary_terms(path: Path) -> set[str]:
    """The terms of the edition's glossary (``data/glossary.yaml``).

    Only the ``term`` of each entry is read here (:mod:`aes_edition.glossary` validates the
    whole file), so that the concept map depends on nothing else the glossary cites.
    """
    entries = load_yaml(path, text_only=True) or []
    if isinstance(entries, dict):
        entries = entries.get("terms") or []
    return {str(e["term"]) for e in entries if isinstance(e, dict) and "term" in e}


def _chapter_rows(path: Path, chapter: str, rows: dict[str, int], known: dict[str, Paragraph], what: str) -> None:
    """Every paragraph of ``chapter`` must have a row: an objective or recommendation of
    the paper that the analysis leaves out is an error, not a silent gap."""
    for paragraph in known.values():
        if paragraph.chapter == chapter and paragraph.id not in rows:
            raise DataError(path, None, "para", f"{what} {paragraph.label} ({paragraph.id}) has no row")


# --- the concept map -----------------------------------------------------------------


def load_concepts(path: Path, known: dict[str, Paragraph], glossary: set[str]) -> dict[str, Concept]:
    """Read ``concepts.csv``; ``glossary`` holds the terms a concept may name."""
    rows = list(read_rows(path, ["id", "label", "kind", "level", "paras"], ["glossary_term"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    result: dict[str, Concept] = {}
    for number, row in rows:
        if not CONCEPT_ID.match(row["id"]):
            raise DataError(path, number, "id", f"'{row['id']}' is not a lower-case id such as 'regional-security'")
        kind = _choice(path, number, "kind", row["kind"], CONCEPT_KINDS)
        if not row["level"].isdigit() or int(row["level"]) < 1:
            raise DataError(path, number, "level", f"'{row['level']}' is not a whole number from 1 (the most general)")
        term = row.get("glossary_term", "")
        if term and term not in glossary:
            raise DataError(path, number, "glossary_term", f"'{term}' is not a term of the glossary")
        paras = _paras(path, number, "paras", row["paras"], known)
        result[row["id"]] = Concept(row["id"], row["label"], kind, int(row["level"]), term, paras)
    return result


def load_propositions(path: Path, concepts: dict[str, Concept], known: dict[str, Paragraph],
                      printed: dict[str, str]) -> list[Proposition]:
    """Read ``propositions.csv``: both ends must be concepts, and the quotation the paper's."""
    rows = list(read_rows(path, ["id", "source", "link", "target", "paras", "quote"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    pairs: dict[frozenset[str], int] = {}
    result: list[Proposition] = []
    for number, row in rows:
        if not PROPOSITION_ID.match(row["id"]):
            raise DataError(path, number, "id", f"'{row['id']}' is not of the form P01")
        for field in ("source", "target"):
            if row[field] not in concepts:
                raise DataError(path, number, field, f"unknown concept id '{row[field]}'")
        if row["source"] == row["target"]:
            raise DataError(path, number, "target", "a proposition links two different concepts")
        pair = frozenset((row["source"], row["target"]))
        if pair in pairs:
            raise DataError(path, number, "target",
                            f"{row['source']} and {row['target']} are already linked in row {pairs[pair]}: "
                            "the map draws one proposition between two concepts")
        pairs[pair] = number
        paras = _paras(path, number, "paras", row["paras"], known)
        quote = _quote(path, number, row["quote"], paras, known, printed)
        result.append(Proposition(row["id"], row["source"], row["link"], row["target"], paras, quote))
    return result


def load_concept_map(data: Path = DATA, chapters: Path = CHAPTERS) -> ConceptMapData:
    """The concept map's data, validated against the chapters, the register of emendations
    and the glossary."""
    known = paragraph_index(chapters)
    printed = {e.id: e.printed for e in load_emendations(data / "emendations.csv").values()}
    concepts = load_concepts(data / "concepts.csv", known, glossary_terms(data / "glossary.yaml"))
    propositions = load_propositions(data / "propositions.csv", concepts, known, printed)
    return ConceptMapData(concepts, propositions)


# --- the traceability matrix ---------------------------------------------------------


def load_objectives(path: Path, known: dict[str, Paragraph], copy_text: Path, lacunae: set[str]) -> dict[str, Objective]:
    """Read ``objectives.csv``: the objectives as printed, one row per paragraph of the
    Objectives chapter, and the claims of the hypothesis. ``lacunae`` are the paragraphs
    where the register of emendations records text wanting in the source; only those can
    hold a truncated objective."""
    rows = list(read_rows(path, ["id", "kind", "para", "printed", "status", "short"], ["note"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    check_unique(path, "para", [(n, r["para"]) for n, r in rows if r["kind"] == "objective"])
    result: dict[str, Objective] = {}
    for number, row in rows:
        kind = _choice(path, number, "kind", row["kind"], OBJECTIVE_KINDS)
        status = _choice(path, number, "status", row["status"], OBJECTIVE_STATUSES)
        (para,) = _paras(path, number, "para", row["para"], known)
        printed = _printed(path, number, row["printed"], copy_text)
        if kind == "objective":
            paragraph = known[para]
            if paragraph.chapter != "objectives":
                raise DataError(path, number, "para", f"an objective must be a paragraph of the Objectives chapter, not {para}")
            expected = ROMAN[paragraph.number - 1]
            if row["id"] != expected or not printed.startswith(f"{expected}. "):
                raise DataError(path, number, "id", f"{para} is objective '{expected}': its id and printed text must say so")
        if status == "truncated" and para not in lacunae:
            raise DataError(path, number, "status", f"{para} has no 'lacuna' row in the register of emendations")
        if status == "complete" and kind == "objective" and para in lacunae:
            raise DataError(path, number, "status", f"the register of emendations records text wanting in {para}")
        result[row["id"]] = Objective(row["id"], kind, para, printed, status, row["short"], row.get("note", ""))
    _chapter_rows(path, "objectives", {o.para: 0 for o in result.values() if o.kind == "objective"}, known, "objective")
    return result


def load_findings(path: Path, known: dict[str, Paragraph], printed: dict[str, str],
                  cited: dict[str, Work] | None = None) -> dict[str, Finding]:
    """Read ``findings.csv``: each finding with its paragraphs, the paper's words and the
    works cited for it, whose status in the register (``cited``) sets the category of its
    grounds; an unverified work named in the grounds must be called unverified there."""
    cited = cited or {}
    rows = list(read_rows(path, ["id", "kind", "short", "statement", "paras", "quote", "grounds"], ["works"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    result: dict[str, Finding] = {}
    for number, row in rows:
        if not FINDING_ID.match(row["id"]):
            raise DataError(path, number, "id", f"'{row['id']}' is not of the form F01")
        kind = _choice(path, number, "kind", row["kind"], FINDING_KINDS)
        paras = _paras(path, number, "paras", row["paras"], known)
        quote = _quote(path, number, row["quote"], paras, known, printed)
        keys = check_works(path, number, row.get("works", ""), row["grounds"], cited)
        for field in ("statement", "grounds"):
            check_named_as_unverified(path, number, field, row[field], cited)
        result[row["id"]] = Finding(row["id"], kind, row["short"], row["statement"], paras, quote, row["grounds"],
                                    keys, category(keys, cited))
    return result


def _check_link(path: Path, number: int, row: dict[str, str], field: str, sources: dict, findings: dict,
                seen: dict[tuple[str, str], int]) -> None:
    """A link row (objective or recommendation → finding) names a known source and a known
    finding, and links them once; ``seen`` remembers the rows read so far."""
    if row[field] not in sources:
        raise DataError(path, number, field, f"unknown {field} '{row[field]}'")
    if row["finding"] not in findings:
        raise DataError(path, number, "finding", f"unknown finding '{row['finding']}'")
    key = (row[field], row["finding"])
    if key in seen:
        raise DataError(path, number, "finding", f"duplicate link {key[0]} → {key[1]} (first in row {seen[key]})")
    seen[key] = number


def load_trace_links(path: Path, objectives: dict[str, Objective], findings: dict[str, Finding],
                     cited: dict[str, Work] | None = None) -> list[TraceLink]:
    """Read ``objective-findings.csv``. A truncated objective cannot be answered, so a link
    to it is an error; a claim of the hypothesis needs a bearing, an objective has none. A
    finding whose only cited works are unverified is not *addressed*: its grounds cannot be
    checked."""
    rows = list(read_rows(path, ["objective", "finding", "kind"], ["bearing", "note"]))
    seen: dict[tuple[str, str], int] = {}
    result: list[TraceLink] = []
    for number, row in rows:
        _check_link(path, number, row, "objective", objectives, findings, seen)
        objective = objectives[row["objective"]]
        if objective.status == "truncated":
            raise DataError(path, number, "objective",
                            f"objective {objective.id} is truncated in the source: nothing can be traced to it")
        kind = _choice(path, number, "kind", row["kind"], TRACE_KINDS)
        finding = findings[row["finding"]]
        if kind == "addressed" and finding.grounds_category == UNVERIFIED_ONLY:
            raise DataError(path, number, "kind",
                            f"{finding.id} rests only on works the register marks unverified "
                            f"({', '.join(finding.works)}): unverified grounds cannot make it 'addressed'")
        check_named_as_unverified(path, number, "note", row.get("note", ""), cited or {})
        if finding.grounds_category == UNVERIFIED_ONLY and SUPPORT_WORDS.search(row.get("note", "")) \
                and not QUALIFIER.search(row.get("note", "")):
            raise DataError(path, number, "note", f"calls the grounds of {finding.id} sourced, but its only cited works "
                            f"({', '.join(finding.works)}) are unverified: say so")
        bearing = row.get("bearing", "")
        if objective.kind == "hypothesis":
            _choice(path, number, "bearing", bearing, BEARINGS)
        elif bearing:
            raise DataError(path, number, "bearing", "only a claim of the hypothesis has a bearing")
        result.append(TraceLink(row["objective"], row["finding"], kind, bearing, row.get("note", ""), number))
    return result


def load_recommendations(path: Path, known: dict[str, Paragraph], copy_text: Path) -> dict[str, Recommendation]:
    """Read ``recommendations.csv``: one row per paragraph of the Recommendations chapter."""
    rows = list(read_rows(path, ["id", "para", "title"], ["note"]))
    check_unique(path, "id", [(n, r["id"]) for n, r in rows])
    check_unique(path, "para", [(n, r["para"]) for n, r in rows])
    result: dict[str, Recommendation] = {}
    for number, row in rows:
        (para,) = _paras(path, number, "para", row["para"], known)
        paragraph = known[para]
        if paragraph.chapter != "recommendations":
            raise DataError(path, number, "para", f"a recommendation must be a paragraph of Recommendations, not {para}")
        if row["id"] != ROMAN[paragraph.number - 1]:
            raise DataError(path, number, "id", f"{para} is recommendation '{ROMAN[paragraph.number - 1]}'")
        try:
            _printed(path, number, row["title"], copy_text)
        except DataError as error:
            raise DataError(path, number, "title", error.problem) from None
        result[row["id"]] = Recommendation(row["id"], para, row["title"], row.get("note", ""))
    _chapter_rows(path, "recommendations", {r.para: 0 for r in result.values()}, known, "recommendation")
    return result


def load_recommendation_links(path: Path, recommendations: dict[str, Recommendation],
                              findings: dict[str, Finding], cited: dict[str, Work] | None = None) -> list[RecommendationLink]:
    """Read ``recommendation-links.csv``: what each recommendation rests on."""
    rows = list(read_rows(path, ["recommendation", "finding", "kind"], ["note"]))
    seen: dict[tuple[str, str], int] = {}
    result: list[RecommendationLink] = []
    for number, row in rows:
        _check_link(path, number, row, "recommendation", recommendations, findings, seen)
        kind = _choice(path, number, "kind", row["kind"], RECOMMENDATION_LINK_KINDS)
        check_named_as_unverified(path, number, "note", row.get("note", ""), cited or {})
        result.append(RecommendationLink(row["recommendation"], row["finding"], kind, row.get("note", ""), number))
    return result


def load_traceability(data: Path = DATA, chapters: Path = CHAPTERS, copy_text: Path = COPY_TEXT,
                      bib: Path = BIB) -> TraceabilityData:
    """The traceability matrix's data, validated against the chapters, the copy-text, the
    register of emendations and the register of references (which works are verified)."""
    known = paragraph_index(chapters)
    emendations = load_emendations(data / "emendations.csv")
    cited = works(data / "reference-register.csv", bib, emendations)
    lacunae = {e.para for e in emendations.values() if e.kind == "lacuna"}
    objectives = load_objectives(data / "objectives.csv", known, copy_text, lacunae)
    for number, objective in enumerate(objectives.values(), start=2):
        check_named_as_unverified(data / "objectives.csv", number, "note", objective.note, cited)
    findings = load_findings(data / "findings.csv", known, {e.id: e.printed for e in emendations.values()}, cited)
    trace_links = load_trace_links(data / "objective-findings.csv", objectives, findings, cited)
    recommendations = load_recommendations(data / "recommendations.csv", known, copy_text)
    for number, recommendation in enumerate(recommendations.values(), start=2):
        check_named_as_unverified(data / "recommendations.csv", number, "note", recommendation.note, cited)
    links = load_recommendation_links(data / "recommendation-links.csv", recommendations, findings, cited)
    return TraceabilityData(objectives, findings, trace_links, recommendations, links, cited)


def cited_paragraphs(concept_map: ConceptMapData, traceability: TraceabilityData) -> set[str]:
    """Every paragraph id the analysis cites, for the tests that follow them into the HTML."""
    ids: set[str] = set()
    for concept in concept_map.concepts.values():
        ids.update(concept.paras)
    for proposition in concept_map.propositions:
        ids.update(proposition.paras)
    ids.update(o.para for o in traceability.objectives.values())
    for finding in traceability.findings.values():
        ids.update(finding.paras)
    ids.update(r.para for r in traceability.recommendations.values())
    return ids
