"""The structures the notebooks show: the concept-map graph and its figure, the
traceability matrix and its gaps, and the readings that the notebooks' prose states."""

from __future__ import annotations

import dataclasses

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from aes_edition import concept_map, traceability
from aes_edition.analysis_data import ConceptMapData, load_concept_map, load_traceability
from aes_edition.concept_map_figure import edges_under_concepts, label_overlaps


@pytest.fixture(scope="module")
def cmap() -> ConceptMapData:
    return load_concept_map()


@pytest.fixture(scope="module")
def figure(cmap):
    return concept_map.figure(cmap)


def test_the_graph_has_every_concept_and_proposition(cmap):
    graph = concept_map.build_graph(cmap)
    assert set(graph.nodes) == set(cmap.concepts)
    assert {graph.edges[p.source, p.target]["id"] for p in cmap.propositions} == {p.id for p in cmap.propositions}


def test_the_figure_draws_every_concept_and_linking_phrase(cmap, figure):
    gids = {t.get_gid() for t in figure.axes[0].texts}
    assert {f"concept-{c}" for c in cmap.concepts} <= gids
    assert {f"link-{p.id}" for p in cmap.propositions} <= gids
    assert {f"legend-{kind}" for kind in ("concept", "actor", "institution", "event", "place")} <= gids
    phrases = {t.get_gid(): t.get_text().replace("\n", " ") for t in figure.axes[0].texts}
    assert all(phrases[f"link-{p.id}"] == p.link for p in cmap.propositions)


def test_no_label_of_the_concept_map_overlaps_another(figure):
    assert label_overlaps(figure) == []


def test_the_figure_fits_a_printed_page(figure):
    width, height = figure.get_size_inches()
    assert width <= 7.0 and height <= 9.5


def test_the_overlap_check_can_fail():
    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.text(0.5, 0.5, "one label", gid="a", bbox={"boxstyle": "round"})
    ax.text(0.52, 0.52, "another", gid="b", bbox={"boxstyle": "round"})
    assert label_overlaps(fig) == [("a", "b")]


def test_edges_that_run_under_concepts_are_few(figure):
    """A long edge may pass under a concept where a row is full; the layout keeps that rare."""
    assert len(edges_under_concepts(figure)) <= 6


def test_a_level_too_crowded_for_the_page_is_reported_by_name(cmap):
    crowded = {k: dataclasses.replace(c, level=3) if c.level >= 6 else c for k, c in cmap.concepts.items()}
    with pytest.raises(ValueError, match=r"wider than the figure: move a concept to another level"):
        concept_map.figure(ConceptMapData(crowded, cmap.propositions))


def test_the_map_shows_the_readings_the_notebook_states(cmap):
    """The concept-map notebook's prose names these results; they must hold for the data."""
    ranked = concept_map.centrality(cmap)
    assert [c.concept for c in ranked[:2]] == ["aes", "insurgency"]
    unlinked = {u.concept for u in concept_map.unlinked_concepts(cmap)}
    assert {"human-security", "securitisation", "liptako-gourma", "jnim", "isgs"} <= unlinked
    assert "aes" not in unlinked


# --- the traceability matrix ---------------------------------------------------------


@pytest.fixture(scope="module")
def trace():
    return load_traceability()


def test_the_matrix_has_a_row_for_each_objective_and_claim(trace):
    matrix = traceability.matrix(trace)
    assert list(matrix.index[:4]) == ["i", "ii", "iii", "iv"]
    assert list(matrix.index[4:]) == ["H1", "H2", "H3"]
    assert list(matrix.columns) == list(trace.findings)


def test_objective_iii_is_unanswerable_and_the_others_are_answered(trace):
    matrix = traceability.matrix(trace)
    assert (matrix.loc["iii"] == traceability.UNANSWERABLE).all()
    for objective in ("i", "ii", "iv"):
        assert (matrix.loc[objective] != "").any()


def test_every_link_is_a_cell_of_the_matrix(trace):
    matrix = traceability.matrix(trace)
    assert sum((matrix.loc[o.id] != "").sum() for o in trace.objectives.values() if o.status != "truncated") \
        == len(trace.trace_links)
    for link in trace.trace_links:
        assert matrix.loc[link.objective, link.finding] == link.kind


def test_the_gaps_are_those_the_notebook_explains(trace):
    gaps = traceability.gaps(trace)
    assert [o.id for o in gaps.unanswered_objectives] == ["iii"]
    assert [o.id for o in gaps.unanswered_claims] == ["H3"]
    assert gaps.findings_without_objective == []
    assert [f.id for f in gaps.abstract_only_findings] == ["F12"]
    assert gaps.recommendations_without_finding == ["iv"]
    assert [f.id for f in gaps.challenges_without_recommendation] == ["F12", "F14"]
    assert [f.id for f in gaps.unverified_grounds] == ["F01", "F03", "F08", "F09", "F13"]


def test_gaps_are_found_when_they_exist(trace):
    """Remove links and the gaps appear: the checks are not vacuous."""
    thinner = dataclasses.replace(
        trace,
        trace_links=[link for link in trace.trace_links if link.finding != "F07" and link.objective != "i"],
        recommendation_links=[link for link in trace.recommendation_links if link.recommendation != "v"],
    )
    gaps = traceability.gaps(thinner)
    assert [o.id for o in gaps.unanswered_objectives] == ["i", "iii"]
    assert {"F01", "F02", "F03", "F04", "F07"} <= {f.id for f in gaps.findings_without_objective}
    assert gaps.recommendations_without_finding == ["iv", "v"]


def test_the_matrix_figure_has_a_column_for_each_objective_claim_and_recommendation(trace):
    fig = traceability.figure(trace)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"i", "ii", "iii", "iv", "H1", "H2", "H3", "v"} <= texts
    assert "truncated in the source: cannot be answered" in texts
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(trace.findings) and labels[0].startswith("F01")


def test_findings_resting_on_unverified_works_are_marked_wherever_the_matrix_names_them(trace):
    """A finding whose only cited works the register marks unverified carries the mark in
    the figure, the table and the findings table, and the keys explain it."""
    from aes_edition.grounds import UNVERIFIED_ONLY

    unverified = {f.id for f in trace.findings.values() if f.grounds_category == UNVERIFIED_ONLY}
    assert {"F01", "F03", "F08", "F09", "F13"} <= unverified
    fig = traceability.figure(trace)
    labels = {t.get_text().split()[0]: t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert {fid for fid, label in labels.items() if label.endswith(traceability.UNVERIFIED_MARK)} == unverified
    assert any("unverified grounds" in t.get_text() for t in fig.texts)
    rows = traceability.matrix_table(trace).rows
    marked = {row[0].html.split()[0] for row in rows if traceability.UNVERIFIED_MARK in row[0].html}
    assert marked == unverified
    assert "not cited support" in traceability.matrix_key().markup
    grounds = {row[0].html: row[4].html for row in traceability.findings_table(trace).rows}
    assert {fid for fid, cell in grounds.items() if "unverified work only" in cell} == unverified
