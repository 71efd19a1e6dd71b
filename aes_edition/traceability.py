"""The traceability matrix: which finding answers which objective (and bears on which claim
of the hypothesis), what each recommendation rests on, and where the chain breaks.

The matrix is a pandas DataFrame with one row per objective or claim and one column per
finding; the figure and the tables are drawn from it and from the links' notes, so the
page, the PDF and the tests read one structure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .analysis_data import TRACE_KINDS, Finding, Objective, TraceabilityData
from .grounds import UNVERIFIED_ONLY, VERIFIED
from .notebook_output import Cell, FigureOutput, Prose, Table, bullet_list, para_links, text_as_written

UNANSWERABLE = "unanswerable"
SHORT_KIND = {"addressed": "addressed", "partly addressed": "partly", "asserted without evidence": "asserted"}
COLOUR = {"addressed": "#0072b2", "partly addressed": "#9ccbe9", "asserted without evidence": "#e69f00"}
GLYPH = {"addressed": "●", "partly addressed": "◐", "asserted without evidence": "○"}
SIGN = {"supports": "+", "qualifies": "~", "undercuts": "−"}
LETTER = {"addressed": "A", "partly addressed": "P", "asserted without evidence": "N"}
TABLE_SIGN = {"supports": "+", "qualifies": "~", "undercuts": "–"}  # the figure's minus sign is not in the PDF's fonts
RECOMMENDATION_GLYPH = {"rests on": "■", "implied by": "□"}
# A finding whose only cited works are unverified is marked wherever it is named in the
# matrix, so that no reading of it passes for cited support.
UNVERIFIED_MARK = "†"
UNVERIFIED_KEY = ("† The only works the paper cites for the finding are works the edition could not verify "
                  "(marked Unverified in the register of references): unverified grounds, not cited support.")
GROUNDS_LABEL = {VERIFIED: "a verified work", UNVERIFIED_ONLY: "unverified work only", "no work cited": "none"}


def finding_label(f: Finding) -> str:
    """The finding's number and short title, marked when its grounds are unverified."""
    mark = f" {UNVERIFIED_MARK}" if f.grounds_category == UNVERIFIED_ONLY else ""
    return f"{f.id}  {f.short}{mark}"


def matrix(data: TraceabilityData) -> pd.DataFrame:
    """Objectives and claims of the hypothesis (rows) × findings (columns); a cell holds the
    kind of link, "" where there is none, and "unanswerable" across a truncated objective."""
    frame = pd.DataFrame("", index=list(data.objectives), columns=list(data.findings), dtype="object")
    frame.index.name = "objective"
    frame.columns.name = "finding"
    for objective in data.objectives.values():
        if objective.status == "truncated":
            frame.loc[objective.id, :] = UNANSWERABLE
    for link in data.trace_links:
        frame.loc[link.objective, link.finding] = link.kind
    return frame


def recommendation_matrix(data: TraceabilityData) -> pd.DataFrame:
    """Recommendations (rows) × findings (columns): "rests on", "implied by" or ""."""
    frame = pd.DataFrame("", index=list(data.recommendations), columns=list(data.findings), dtype="object")
    for link in data.recommendation_links:
        frame.loc[link.recommendation, link.finding] = link.kind
    return frame


# --- the gaps ------------------------------------------------------------------------


@dataclass(frozen=True)
class Gaps:
    """Where the chain objective → finding → recommendation breaks."""

    unanswered_objectives: list[Objective]  # no finding traced to them (truncated ones included)
    unanswered_claims: list[Objective]  # claims of the hypothesis that no finding supports
    findings_without_objective: list[Finding]
    abstract_only_findings: list[Finding]  # stated in the abstract and nowhere in the body
    recommendations_without_finding: list[str]  # recommendation ids with nothing they rest on
    challenges_without_recommendation: list[Finding]  # challenges and risks no recommendation takes up
    unverified_grounds: list[Finding]  # findings for which the paper cites only unverified works


def gaps(data: TraceabilityData) -> Gaps:
    linked_objectives = {link.objective for link in data.trace_links}
    supported_claims = {link.objective for link in data.trace_links if link.bearing == "supports"}
    answered = {link.finding for link in data.trace_links if data.objectives[link.objective].kind == "objective"}
    resting = {link.recommendation for link in data.recommendation_links if link.kind == "rests on"}
    taken_up = {link.finding for link in data.recommendation_links}
    return Gaps(
        unanswered_objectives=[o for o in data.objectives.values() if o.kind == "objective" and o.id not in linked_objectives],
        unanswered_claims=[o for o in data.objectives.values() if o.kind == "hypothesis" and o.id not in supported_claims],
        findings_without_objective=[f for f in data.findings.values() if f.id not in answered],
        abstract_only_findings=[f for f in data.findings.values() if all(p.startswith("abstract-") for p in f.paras)],
        recommendations_without_finding=[r for r in data.recommendations if r not in resting],
        challenges_without_recommendation=[f for f in data.findings.values()
                                           if f.kind in ("challenge", "risk") and f.id not in taken_up],
        unverified_grounds=[f for f in data.findings.values() if f.grounds_category == UNVERIFIED_ONLY],
    )


# --- the figure ----------------------------------------------------------------------


@text_as_written
def figure(data: TraceabilityData) -> Figure:
    """Findings (rows) against objectives, claims of the hypothesis and recommendations
    (columns), each cell coloured and marked by the kind of link."""
    frame, recs = matrix(data), recommendation_matrix(data)
    findings = list(data.findings.values())
    objectives = [o for o in data.objectives.values() if o.kind == "objective"]
    claims = [o for o in data.objectives.values() if o.kind == "hypothesis"]
    columns: list[tuple[str, str, str]] = [("objective", o.id, o.short) for o in objectives]
    columns += [("hypothesis", o.id, o.short) for o in claims]
    columns += [("recommendation", r.id, r.title) for r in data.recommendations.values()]
    gap = 0.5  # blank columns between the groups
    xs, x = [], 0.0
    for i, (group, _id, _short) in enumerate(columns):
        if i and group != columns[i - 1][0]:
            x += gap
        xs.append(x)
        x += 1
    width_cols = x
    cell = 0.235  # inches
    labels = [finding_label(f) for f in findings]
    left = _text_width(max(labels, key=len), 7.5) + 0.35
    top, bottom = 2.0, 1.2
    fig = Figure(figsize=(left + width_cols * cell + 0.75, top + len(findings) * cell + bottom), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((left / fig.get_figwidth(), bottom / fig.get_figheight(),
                       width_cols * cell / fig.get_figwidth(), len(findings) * cell / fig.get_figheight()))
    ax.set_xlim(-0.5, width_cols - 0.5)
    ax.set_ylim(len(findings) - 0.5, -0.5)
    ax.set_xticks([])
    ax.set_yticks(range(len(findings)), labels, fontsize=7.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)

    for col, (group, cid, short) in zip(xs, columns, strict=True):
        ax.text(col, -0.9, cid, ha="center", va="bottom", fontsize=8, fontweight="bold")
        ax.text(col, -1.55, short, ha="left", va="bottom", fontsize=7, rotation=55, rotation_mode="anchor")
        truncated = group == "objective" and data.objectives[cid].status == "truncated"
        for row, finding in enumerate(findings):
            if truncated:
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor="#eeeeee", edgecolor="#bbbbbb",
                                       hatch="////", linewidth=0.3))
                continue
            ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor="white", edgecolor="#dddddd", linewidth=0.4))
            if group == "recommendation":
                kind = recs.loc[cid, finding.id]
                if kind:
                    ax.text(col, row, RECOMMENDATION_GLYPH[kind], ha="center", va="center", fontsize=8, color="#333333")
                continue
            kind = frame.loc[cid, finding.id]
            if not kind:
                continue
            ax.add_patch(Rectangle((col - 0.42, row - 0.42), 0.84, 0.84, facecolor=COLOUR[kind], edgecolor="none"))
            mark = GLYPH[kind]
            if group == "hypothesis":
                bearing = next(link.bearing for link in data.trace_links if link.objective == cid and link.finding == finding.id)
                mark = SIGN[bearing]
            ax.text(col, row, mark, ha="center", va="center", fontsize=7.5,
                    color="white" if kind == "addressed" else "black", fontweight="bold")
        if truncated:
            ax.text(col, len(findings) / 2 - 0.5, "truncated in the source: cannot be answered", rotation=90,
                    ha="center", va="center", fontsize=6.5, color="#444444",
                    bbox={"facecolor": "#eeeeee", "edgecolor": "none", "pad": 1})

    # the kinds of finding, as bands
    previous = None
    for row, finding in enumerate(findings):
        if finding.kind != previous:
            if previous is not None:
                ax.axhline(row - 0.5, color="#777777", linewidth=0.6)
            ax.text(width_cols - 0.5 + 0.25, row - 0.35, finding.kind, ha="left", va="top", fontsize=6.3,
                    style="italic", color="#444444")
            previous = finding.kind

    # the group headings
    for group, label in (("objective", "Objectives"), ("hypothesis", "Hypothesis"), ("recommendation", "Recommendations")):
        cols = [c for c, (g, _i, _s) in zip(xs, columns, strict=True) if g == group]
        if cols:
            ax.text((cols[0] + cols[-1]) / 2, len(findings) - 0.5 + 0.25, label, ha="center", va="top", fontsize=7.5,
                    fontweight="bold")

    _legend(fig, bottom)
    return fig


@text_as_written
def _text_width(text: str, size: float) -> float:
    """The width in inches of ``text`` set in the figure's font at ``size`` points."""
    probe = Figure(dpi=150)
    FigureCanvasAgg(probe)
    label = probe.text(0, 0, text, fontsize=size)
    return label.get_window_extent(probe.canvas.get_renderer()).width / probe.dpi


def _legend(fig: Figure, bottom: float) -> None:
    """A key to the cells, set under the matrix."""
    y = (bottom - 0.55) / fig.get_figheight()
    items = [(GLYPH[k], COLOUR[k], k) for k in TRACE_KINDS]
    x = 0.03
    for glyph, colour, label in items:
        fig.text(x, y, glyph, ha="center", va="center", fontsize=8, fontweight="bold",
                 color="white" if label == "addressed" else "black",
                 bbox={"boxstyle": "square,pad=0.25", "facecolor": colour, "edgecolor": "none"})
        fig.text(x + 0.02, y, label, ha="left", va="center", fontsize=6.8)
        x += 0.06 + 0.0105 * len(label)
    y2 = y - 0.25 / fig.get_figheight()
    fig.text(0.03, y2, "Hypothesis: + supports, ~ qualifies, − undercuts the claim.   "
             "Recommendations: ■ rests on, □ only implied by the finding.", ha="left", va="center", fontsize=6.8)
    y3 = y2 - 0.22 / fig.get_figheight()
    fig.text(0.03, y3, f"{UNVERIFIED_MARK} the paper cites only unverified works for it: unverified grounds, "
             "not cited support.", ha="left", va="center", fontsize=6.8)


def show(data: TraceabilityData) -> FigureOutput:
    findings, rows = len(data.findings), len(data.objectives)
    return FigureOutput(figure(data), f"Traceability matrix: {rows} objectives and claims × {findings} findings")


# --- tables --------------------------------------------------------------------------


def objectives_table(data: TraceabilityData) -> Table:
    """The objectives and the claims of the hypothesis as printed, with what answers them."""
    rows = []
    for o in data.objectives.values():
        links = [link for link in data.trace_links if link.objective == o.id]
        if o.status == "truncated":
            answered = "cannot be answered: truncated in the source"
        elif not links:
            answered = "no finding"
        else:
            counts = {k: sum(link.kind == k for link in links) for k in TRACE_KINDS}
            answered = "; ".join(f"{n} {SHORT_KIND[k]}" for k, n in counts.items() if n)
        rows.append([Cell.text(o.id), Cell.quote(o.printed), para_links([o.para]), Cell.text(answered),
                     Cell.text(o.note)])
    return Table(["No.", "As printed", "Where", "Findings", "Editors' note"], rows, widths=[7, 28, 14, 17, 34])


def findings_table(data: TraceabilityData) -> Table:
    """Each finding in the editors' words, the paper's own words, what grounds it and, from
    the register of references, whether any work cited for it could be verified."""
    return Table(
        ["No.", "Finding", "The paper's words", "Grounds given", "Cited works", "Stated in"],
        [[Cell.text(f.id), Cell.text(f.statement), Cell.quote(f.quote), Cell.text(f.grounds),
          Cell.text(GROUNDS_LABEL[f.grounds_category] + (f" {UNVERIFIED_MARK}" if f.grounds_category == UNVERIFIED_ONLY
                                                          else "")),
          para_links(f.paras)]
         for f in data.findings.values()],
        widths=[7, 23, 22, 22, 10, 16],
    )


def matrix_key() -> Prose:
    """The key to :func:`matrix_table`'s letters."""
    text = ("A addressed; P partly addressed; N asserted with no evidence; for H1–H3, + supports, ~ qualifies, "
            "– undercuts the claim; — cannot be answered. Recommendations: the findings they rest on. "
            + UNVERIFIED_KEY)
    return Prose.paragraph(text)


def matrix_table(data: TraceabilityData) -> Table:
    """The matrix as a table (findings down, objectives and claims across), for the HTML
    page and the PDF alike. Its cells hold a letter (see :func:`matrix_key`), so that the
    table fits a printed page."""
    frame, recs = matrix(data), recommendation_matrix(data)
    bearings = {(link.objective, link.finding): link.bearing for link in data.trace_links}
    header = ["Finding", "Stated in", *data.objectives, "Recommendations"]
    rows = []
    for f in data.findings.values():
        row = [Cell.text(finding_label(f).replace("  ", " ")), para_links(f.paras)]
        for o in data.objectives:
            kind = frame.loc[o, f.id]
            if kind == UNANSWERABLE:
                row.append(Cell.text("—"))
            elif kind:
                bearing = bearings.get((o, f.id))
                row.append(Cell.text(LETTER[kind] + (f"\u00a0{TABLE_SIGN[bearing]}" if bearing else "")))
            else:
                row.append(Cell.text(""))
        taken = [f"{r}{' (implied)' if recs.loc[r, f.id] == 'implied by' else ''}" for r in recs.index if recs.loc[r, f.id]]
        row.append(Cell.text(", ".join(taken)))
        rows.append(row)
    return Table(header, rows, widths=[24, 20, *[6] * len(data.objectives), 14])


def trace_links_table(data: TraceabilityData) -> Table:
    """Every link objective → finding with the reason for its kind and both paragraphs."""
    rows = []
    for link in data.trace_links:
        o, f = data.objectives[link.objective], data.findings[link.finding]
        kind = link.kind + (f" ({link.bearing})" if link.bearing else "")
        rows.append([Cell.text(o.id), para_links([o.para]), Cell.text(f"{f.id} {f.short}"), para_links(f.paras),
                     Cell.text(kind), Cell.text(link.note)])
    return Table(["Objective", "Where", "Finding", "Stated in", "Link", "Why"], rows, widths=[8, 12, 20, 18, 14, 28])


def recommendations_table(data: TraceabilityData) -> Table:
    """Each recommendation and the findings it rests on (or is only implied by)."""
    rows = []
    for r in data.recommendations.values():
        links = [link for link in data.recommendation_links if link.recommendation == r.id]
        rests = [f"{link.finding} ({data.findings[link.finding].short})" for link in links if link.kind == "rests on"]
        implied = [f"{link.finding} ({data.findings[link.finding].short})" for link in links if link.kind == "implied by"]
        why = " ".join(link.note for link in links if link.kind == "implied by")
        rows.append([Cell.text(f"{r.id}. {r.title}"), para_links([r.para]), Cell.text("; ".join(rests) or "nothing"),
                     Cell.text("; ".join(implied)), Cell.text(" ".join(x for x in (r.note, why) if x))])
    return Table(["Recommendation", "Where", "Rests on", "Only implied by", "Editors' note"], rows,
                 widths=[20, 13, 25, 14, 28])


def _finding_item(f: Finding, extra: str = "") -> Cell:
    tail = f" {extra}" if extra else ""
    return Cell.join(f"{f.id} {f.short} (", para_links(f.paras), f"){tail}")


def _work_label(data: TraceabilityData, key: str) -> str:
    work = data.works.get(key)
    return work.label if work else key


def _why(objective: Objective) -> str:
    if objective.status == "truncated":
        return "truncated in the source, so no finding can answer it"
    return "no finding answers it"


def gap_lists(data: TraceabilityData) -> dict[str, Prose]:
    """Each kind of gap as a list (or a sentence saying there is none)."""
    found = gaps(data)
    return {
        "objectives with no finding": bullet_list(
            [Cell.join(f"{o.id} ", Cell.quote(o.printed), " (", para_links([o.para]), f"): {_why(o)}")
             for o in found.unanswered_objectives],
            "Every objective has at least one finding."),
        "claims of the hypothesis no finding supports": bullet_list(
            [Cell.join(f"{o.id} ", Cell.quote(o.printed)) for o in found.unanswered_claims],
            "Every claim of the hypothesis has at least one finding in its support."),
        "findings that answer no objective": bullet_list(
            [_finding_item(f) for f in found.findings_without_objective],
            "None: every finding answers at least one objective."),
        "findings stated only in the abstract": bullet_list(
            [_finding_item(f) for f in found.abstract_only_findings], "None."),
        "recommendations that rest on no finding": bullet_list(
            [Cell.join(f"{r}. {data.recommendations[r].title} (", para_links([data.recommendations[r].para]), ")")
             for r in found.recommendations_without_finding],
            "None: every recommendation rests on at least one finding."),
        "challenges and risks no recommendation takes up": bullet_list(
            [_finding_item(f) for f in found.challenges_without_recommendation], "None."),
        "findings for which the paper cites only works the edition could not verify": bullet_list(
            [_finding_item(f, "cites " + ", ".join(_work_label(data, k) for k in f.works) + ", unverified")
             for f in found.unverified_grounds],
            "None: every work cited for a finding could be verified."),
    }


def gap_report(data: TraceabilityData) -> Prose:
    """All the gaps, each kind under its heading."""
    parts = [(heading[0].upper() + heading[1:], items) for heading, items in gap_lists(data).items()]
    return Prose("\n\n".join(f"{Cell.strong(h).myst}\n\n{items.myst}" for h, items in parts),
                 "".join(f"<p>{Cell.strong(h).html}</p>{items.markup}" for h, items in parts))
