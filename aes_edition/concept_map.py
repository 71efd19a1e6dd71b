"""The concept map of the paper's argument as a graph, and the readings the notebook draws
from it: which concepts are central, which the paper introduces and never uses, and how much
of the map rests on paragraphs that cite a source. The drawing itself is in
:mod:`aes_edition.concept_map_figure`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import networkx as nx
from matplotlib.figure import Figure

from .analysis_data import ConceptMapData
from .concept_map_figure import draw
from .emendations import load_emendations
from .myst_blocks import roles
from .notebook_output import Cell, FigureOutput, Prose, Table, bullet_list, escape_myst, para_links, typographic
from .paragraphs import paragraph_index
from .reference_register import load_register

# Chapters where the paper analyses the AES, as against those that frame the study.
ANALYTICAL_CHAPTERS = ("emergence", "impact", "challenges", "conclusion", "recommendations")


def build_graph(data: ConceptMapData) -> nx.DiGraph:
    """The concept map as a directed graph: nodes carry the concept's fields, edges the
    proposition (its id, linking phrase and paragraphs)."""
    graph = nx.DiGraph()
    for concept in data.concepts.values():
        graph.add_node(concept.id, label=concept.label, kind=concept.kind, level=concept.level,
                       glossary_term=concept.glossary_term, paras=concept.paras)
    for p in data.propositions:
        graph.add_edge(p.source, p.target, id=p.id, link=p.link, paras=p.paras, quote=p.quote)
    return graph


def figure(data: ConceptMapData) -> Figure:
    """The concept map drawn for the page (see :mod:`aes_edition.concept_map_figure`)."""
    return draw(build_graph(data))


def show(data: ConceptMapData) -> FigureOutput:
    """The figure as the notebook displays it."""
    return FigureOutput(figure(data), f"Concept map: {len(data.concepts)} concepts, {len(data.propositions)} propositions")


# --- tables and readings -------------------------------------------------------------


KIND_ORDER = ("concept", "actor", "institution", "event", "place")


def concepts_list(data: ConceptMapData) -> Prose:
    """Every concept of the map with the paragraphs that name it, by kind and in the map's
    order of generality: the map's content as text, which a phone shows at a readable size
    and a screen reader reads, and from each concept a way to its paragraphs. A concept with
    a glossary entry links to it."""
    graph = build_graph(data)
    items = []
    for concept in sorted(data.concepts.values(), key=lambda c: (KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER
                                                                  else len(KIND_ORDER), c.level, c.label.lower())):
        label = typographic(concept.label)
        if concept.glossary_term:
            name_myst = f"{{term}}`{escape_myst(label)} <{concept.glossary_term}>`"
        else:
            name_myst = f"**{escape_myst(label)}**"
        count = graph.degree(concept.id)
        links = para_links(concept.paras)
        tail = f" ({concept.kind}, {count} proposition{'s' if count != 1 else ''}): named in "
        items.append(Cell(f"{name_myst}{escape_myst(tail)}{links.myst}",
                          f"<b>{html.escape(label)}</b>{html.escape(tail)}{links.html}"))
    return bullet_list(items, "The map has no concepts.")



def propositions_table(data: ConceptMapData) -> Table:
    """Every proposition as a sentence, with the paragraphs that state it."""
    rows = []
    for p in data.propositions:
        source, target = data.concepts[p.source], data.concepts[p.target]
        rows.append([
            Cell.text(p.id),
            Cell.text(f"{source.label} — {p.link} → {target.label}"),
            Cell.quote(p.quote),
            para_links(p.paras),
        ])
    return Table(["No.", "Proposition", "The paper's words", "Stated in"], rows, widths=[8, 33, 39, 20])


@dataclass(frozen=True)
class Centrality:
    """How central a concept is to the map."""

    concept: str
    label: str
    kind: str
    propositions: int  # how many propositions it takes part in
    betweenness: float  # the share of shortest paths between other concepts that run through it


def centrality(data: ConceptMapData) -> list[Centrality]:
    """Concepts ranked by the propositions they take part in, then by betweenness (on the
    undirected graph: a link is a link whichever way the proposition reads)."""
    graph = build_graph(data)
    between = nx.betweenness_centrality(graph.to_undirected(), normalized=True)
    ranked = [Centrality(n, graph.nodes[n]["label"], graph.nodes[n]["kind"], graph.degree(n), between[n]) for n in graph]
    return sorted(ranked, key=lambda c: (-c.propositions, -c.betweenness, c.concept))


def centrality_table(data: ConceptMapData, top: int = 6) -> Table:
    return Table(["Concept", "Kind", "Propositions", "Betweenness"],
                 [[Cell.text(c.label), Cell.text(c.kind), Cell.text(str(c.propositions)), Cell.text(f"{c.betweenness:.2f}")]
                  for c in centrality(data)[:top]], widths=[45, 19, 18, 18])


@dataclass(frozen=True)
class Unlinked:
    """A concept the paper introduces but does not carry into its analysis."""

    concept: str
    label: str
    paras: tuple[str, ...]
    propositions: int


def unlinked_concepts(data: ConceptMapData) -> list[Unlinked]:
    """Concepts that no analytical chapter names (the paper introduces them in its framing
    chapters and never returns to them) and that at most two propositions connect."""
    index = paragraph_index()
    graph = build_graph(data)
    found = []
    for concept in data.concepts.values():
        chapters = {index[p].chapter for p in concept.paras}
        if chapters.isdisjoint(ANALYTICAL_CHAPTERS) and graph.degree(concept.id) <= 2:
            found.append(Unlinked(concept.id, concept.label, concept.paras, graph.degree(concept.id)))
    return found


def unlinked_list(data: ConceptMapData) -> Prose:
    items = [Cell.join(Cell.strong(u.label), f" ({u.propositions} proposition{'s' if u.propositions != 1 else ''}): "
                       "named in ", para_links(u.paras))
             for u in unlinked_concepts(data)]
    return bullet_list(items, "Every concept the paper introduces reaches its analysis.")


def paragraph_cited_works(pid: str, emendations: dict | None = None) -> set[str]:
    """The keys of the works a paragraph cites, directly or through an emendation that links one."""
    found = roles(paragraph_index()[pid].source)
    emendations = load_emendations() if emendations is None else emendations
    for name, key in list(found):
        if name == "emend" and key.strip() in emendations:
            found += roles(emendations[key.strip()].edition)
    return {key.strip() for name, group in found if name.startswith("cite") for key in group.split(",")}


def paragraph_cites(pid: str, emendations: dict | None = None) -> bool:
    """Whether a paragraph cites a work, directly or through an emendation that links one."""
    return bool(paragraph_cited_works(pid, emendations))


def evidence_summary(data: ConceptMapData) -> Prose:
    """How many propositions rest on a paragraph that cites a work, in the framing chapters
    and in the analytical ones, and how many of those cite a work the edition could verify
    (the register of references decides: an unverified work is no cited support)."""
    index = paragraph_index()
    emendations = load_emendations()
    verified = {row.key for row in load_register() if row.key and row.status in ("verified", "corrected")}
    counts = {"framing": [0, 0, 0], "analysis": [0, 0, 0]}
    for p in data.propositions:
        analytical = [q for q in p.paras if index[q].chapter in ANALYTICAL_CHAPTERS]
        part = "analysis" if analytical else "framing"
        cited = set().union(*(paragraph_cited_works(q, emendations) for q in (analytical or p.paras)))
        counts[part][2] += 1
        counts[part][0] += bool(cited)
        counts[part][1] += bool(cited & verified)
    (fc, fv, ft), (ac, av, at) = counts["framing"], counts["analysis"]
    text = (f"Of the {ft} propositions stated only in the framing chapters (abstract, introduction, literature review, "
            f"theory, method), {fc} are stated in a paragraph that cites a work, {fv} of them a work the edition could "
            f"verify. Of the {at} stated in the analytical chapters (emergence, impact, challenges, conclusion, "
            f"recommendations), {ac} are stated there in a paragraph that cites a work, {av} of them a work the edition "
            "could verify; the other citations are of works of which the editors found no record (see the register of "
            "references).")
    return Prose.paragraph(text)
