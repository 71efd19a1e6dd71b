"""Drawing the concept map for the page: a layered layout from the general (top) to the
specific (bottom), with every label measured so that none covers another.

The layout is the classic one for layered graphs. Each concept sits on the row of its level;
an edge that spans several rows is routed through a placeholder on every row in between, so
that the rows leave it a gap instead of letting it run under a concept. Rows are ordered by
barycentre sweeps (each concept moves towards those it is linked to) and then improved by
swapping neighbours wherever that leaves fewer crossings. Linking phrases are placed last,
each at the first point along its own edge where it covers no other label.
:func:`label_overlaps` checks a finished figure, so data that would make labels collide is
caught by the tests, not by a reader.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import networkx as nx
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import BoxStyle, FancyArrowPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .notebook_output import text_as_written

KINDS = ("concept", "actor", "institution", "event", "place")
# Colour and outline by kind (Okabe–Ito hues, lightened for black text); the outline alone
# tells the kinds apart, so the map also reads in black and white.
FILL = {"concept": "#cfe8f7", "actor": "#fbe1b0", "institution": "#b9e4d6", "event": "#f1cfe2", "place": "#f7f1a6"}
EDGE = {"concept": "#0072b2", "actor": "#b06f00", "institution": "#007a59", "event": "#a0527f", "place": "#8c8000"}
WIDTH = 7.0  # inches: about the width of a printed page, so the PDF shows it near full size
ROW_GAP = 1.2  # inches between the centres of two rows
LEGEND_HEIGHT = 0.45
TRIM = 0.4  # inches taken from the half-row of space above the first row and below the last
MARGIN = 0.08
NODE_FONT = 7.5
LINK_FONT = 6.3
NODE_GAP = 0.1  # inches between two concepts of a row
PASSAGE = 0.22  # inches a row keeps free, at most, for an edge passing through it
HUB_DEGREE = 10  # concepts in this many propositions or more are drawn larger
# Where along its edge a linking phrase may sit (0 = start, 1 = end), best first.
CANDIDATES = tuple(sorted(np.linspace(0.12, 0.88, 39), key=lambda t: abs(t - 0.5)))


class Hexagon:
    """Outline for events: a box with pointed ends."""

    def __init__(self, pad: float = 0.3) -> None:
        self.pad = pad

    def __call__(self, x0, y0, width, height, mutation_size):
        pad = mutation_size * self.pad
        x0, y0, width, height = x0 - pad, y0 - pad, width + 2 * pad, height + 2 * pad
        tip = height * 0.3
        x1, y1, ym = x0 + width, y0 + height, y0 + height / 2
        return MplPath._create_closed([(x0 - tip, ym), (x0, y0), (x1, y0), (x1 + tip, ym), (x1, y1), (x0, y1)])


class Parallelogram:
    """Outline for places: a slanted box."""

    def __init__(self, pad: float = 0.3) -> None:
        self.pad = pad

    def __call__(self, x0, y0, width, height, mutation_size):
        pad = mutation_size * self.pad
        x0, y0, width, height = x0 - pad, y0 - pad, width + 2 * pad, height + 2 * pad
        slant = height * 0.35
        return MplPath._create_closed([(x0 - slant, y0), (x0 + width, y0), (x0 + width + slant, y0 + height),
                                       (x0, y0 + height)])


def box_style(kind: str):
    """The outline drawn around a concept of this kind."""
    return {
        "concept": BoxStyle("Round", pad=0.35),
        "actor": BoxStyle("Ellipse", pad=0.1),
        "institution": BoxStyle("Square", pad=0.35),
        "event": Hexagon(pad=0.35),
        "place": Parallelogram(pad=0.35),
    }[kind]


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


# --- layout --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where the concepts go, and the points each long edge passes through on its way."""

    positions: dict[str, tuple[float, float]]
    routes: dict[tuple[str, str], list[tuple[float, float]]]
    height: float


def _isotonic(values: list[float]) -> list[float]:
    """Least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    out: list[float] = []
    for mean, weight in blocks:
        out += [mean] * int(weight)
    return out


def _place_row(order: list, desired: dict, widths: dict, left: float, right: float) -> dict:
    """x positions as close as possible to ``desired``, in the given order, no two items
    closer than their half-widths plus the gap, the row inside [left, right]."""
    offsets = [0.0]
    for a, b in zip(order, order[1:], strict=False):
        gap = NODE_GAP if isinstance(a, str) and isinstance(b, str) else 0.0  # a passage's width includes its gaps
        offsets.append(offsets[-1] + widths[a] / 2 + widths[b] / 2 + gap)
    low = left + widths[order[0]] / 2  # the bounds of x - offset, the same for every item
    high = right - widths[order[-1]] / 2 - offsets[-1]
    if low > high:
        names = ", ".join(n for n in order if isinstance(n, str))
        raise ValueError(f"the row of {names} is wider than the figure: move a concept to another level")
    fitted = np.clip(_isotonic([desired[n] - off for n, off in zip(order, offsets, strict=True)]), low, high)
    return {n: float(y + off) for n, y, off in zip(order, fitted, offsets, strict=True)}


def _segments_cost(segments: np.ndarray, ends: np.ndarray, boxes: np.ndarray, box_ids: np.ndarray) -> float:
    """Crossings between segments that share no end, plus (weighted) segments that run
    under a concept that is not one of their ends."""
    a, b = segments[:, 0], segments[:, 1]

    def orient(p, q, r):
        return np.sign((q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0]))

    A, B, C, D = a[:, None], b[:, None], a[None, :], b[None, :]
    cross = (orient(A, B, C) * orient(A, B, D) < 0) & (orient(C, D, A) * orient(C, D, B) < 0)
    shared = (ends[:, None, :, None] == ends[None, :, None, :]).any(axis=(2, 3))
    crossings = np.triu(cross & ~shared, 1).sum()
    ts = np.linspace(0.06, 0.94, 12)[None, :, None]
    points = a[:, None, :] + (b - a)[:, None, :] * ts
    inside = ((points[:, :, None, 0] > boxes[None, None, :, 0]) & (points[:, :, None, 0] < boxes[None, None, :, 2])
              & (points[:, :, None, 1] > boxes[None, None, :, 1]) & (points[:, :, None, 1] < boxes[None, None, :, 3]))
    hits = inside.any(axis=1) & (box_ids[None, :] != ends[:, 0:1]) & (box_ids[None, :] != ends[:, 1:2])
    return float(crossings + 3 * hits.sum() + 0.02 * np.linalg.norm(b - a, axis=1).sum())


def layout(graph: nx.DiGraph, sizes: dict[str, tuple[float, float]], sweeps: int = 16) -> Layout:
    """Positions (inches) of the concepts and routes of the long edges."""
    levels = sorted({graph.nodes[n]["level"] for n in graph})
    row_of = {n: levels.index(graph.nodes[n]["level"]) for n in graph}
    rows: list[list] = [[n for n in graph if row_of[n] == r] for r in range(len(levels))]
    widths: dict = {n: sizes[n][0] for n in graph}
    chains: dict[tuple[str, str], list] = {}
    links: list[tuple] = []  # the edges between items of adjacent rows (and within a row)
    for u, v in graph.edges:
        ru, rv = row_of[u], row_of[v]
        step = 1 if rv > ru else -1
        chain = [("pass", u, v, r) for r in range(ru + step, rv, step)] if abs(rv - ru) > 1 else []
        for item in chain:
            rows[item[3]].append(item)
            widths[item] = PASSAGE
            row_of[item] = item[3]
        chains[(u, v)] = chain
        path = [u, *chain, v]
        links += list(zip(path, path[1:], strict=False))
    # a full row gives its passages what room it has left
    for row in rows:
        passages = [item for item in row if not isinstance(item, str)]
        if passages:
            concepts = [item for item in row if isinstance(item, str)]
            free = (WIDTH - 2 * MARGIN) - sum(widths[n] for n in concepts) - NODE_GAP * (len(concepts) - 1)
            room = max(0.0, min(PASSAGE, (free - 0.01) / len(passages)))
            widths.update({item: room for item in passages})
    neighbours: dict = {item: [] for row in rows for item in row}
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)

    left, right = MARGIN, WIDTH - MARGIN
    top = len(levels) * ROW_GAP - TRIM
    y = {item: top - (row_of[item] + 0.5) * ROW_GAP + TRIM / 2 for row in rows for item in row}
    x: dict = {}
    for row in rows:
        step = (right - left) / len(row)
        x.update({n: left + step * (i + 0.5) for i, n in enumerate(row)})
    for sweep in range(sweeps):
        for r in range(len(rows)) if sweep % 2 == 0 else reversed(range(len(rows))):
            desired = {n: float(np.mean([x[m] for m in neighbours[n]])) if neighbours[n] else x[n] for n in rows[r]}
            rows[r].sort(key=lambda n, d=desired: (d[n], x[n]))
            x.update(_place_row(rows[r], desired, widths, left, right))

    items = [item for row in rows for item in row]
    index = {item: i for i, item in enumerate(items)}
    ends = np.array([[index[a], index[b]] for a, b in links])
    real = [i for i, item in enumerate(items) if isinstance(item, str)]
    box_ids = np.array(real)

    def cost(xs: dict) -> float:
        pos = np.array([[xs[item], y[item]] for item in items])
        boxes = np.array([[pos[i, 0] - sizes[items[i]][0] / 2, pos[i, 1] - sizes[items[i]][1] / 2,
                           pos[i, 0] + sizes[items[i]][0] / 2, pos[i, 1] + sizes[items[i]][1] / 2] for i in real])
        return _segments_cost(pos[ends], ends, boxes, box_ids)

    best = cost(x)
    for _round in range(3):
        improved = False
        for r in range(len(rows)):
            for item in list(rows[r]):
                if not isinstance(item, str):
                    continue
                row = rows[r]
                start = row.index(item)
                for target in range(len(row)):
                    if target == start:
                        continue
                    trial = row[:start] + row[start + 1:]
                    trial.insert(target, item)
                    # keep the others where they are; the moved concept takes its neighbour's place
                    desired = {n: x[n] for n in row}
                    desired[item] = x[row[target]]
                    moved = _place_row(trial, desired, widths, left, right)
                    trial_cost = cost({**x, **moved})
                    if trial_cost < best - 1e-9:
                        rows[r], row, best, improved = trial, trial, trial_cost, True
                        start = row.index(item)
                        x.update(moved)
        if not improved:
            break
    positions = {n: (x[n], y[n]) for n in graph}
    routes = {edge: [(x[item], y[item]) for item in chain] for edge, chain in chains.items()}
    return Layout(positions, routes, top + LEGEND_HEIGHT)


# --- drawing -------------------------------------------------------------------------


def _curve(points: np.ndarray, rad: float, samples: int = 120) -> np.ndarray:
    """Points along an edge: an arc (``rad`` as in matplotlib's arc3) between two points, or
    a smooth Catmull–Rom curve through the points of a long edge's route."""
    if len(points) == 2:
        p0, p2 = points
        d = p2 - p0
        control = (p0 + p2) / 2 + rad * np.array([d[1], -d[0]])
        t = np.linspace(0, 1, samples)[:, None]
        return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * control + t**2 * p2
    padded = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    per = max(8, samples // (len(points) - 1))
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        t = np.linspace(0, 1, per, endpoint=i == len(padded) - 3)[:, None]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3))
    return np.vstack(out)


def _along(curve: np.ndarray, fraction: float) -> np.ndarray:
    """The point at ``fraction`` of a curve's length."""
    lengths = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(curve, axis=0), axis=1))])
    target = fraction * lengths[-1]
    i = min(int(np.searchsorted(lengths, target)), len(curve) - 1)
    if i == 0:
        return curve[0]
    span = lengths[i] - lengths[i - 1] or 1.0
    return curve[i - 1] + (curve[i] - curve[i - 1]) * (target - lengths[i - 1]) / span


def _extent(text: Text, renderer) -> Bbox:
    """The box a label occupies on the canvas, its outline included."""
    patch = text.get_bbox_patch()
    if patch is None:
        return text.get_window_extent(renderer)
    text.update_bbox_position_size(renderer)
    return patch.get_window_extent(renderer)


def _outline(text: Text) -> MplPath:
    """The outline drawn around a label, in canvas coordinates."""
    patch = text.get_bbox_patch()
    return patch.get_transform().transform_path(patch.get_path())


def _clip(curve: np.ndarray, start: Text, end: Text, to_display) -> np.ndarray:
    """The part of a curve outside both concepts' outlines, so the arrow touches both."""
    display = to_display(curve)
    outside = ~_outline(start).contains_points(display) & ~_outline(end).contains_points(display)
    if not outside.any():
        return curve[[0, -1]]
    first, last = int(np.argmax(outside)), len(outside) - 1 - int(np.argmax(outside[::-1]))
    return curve[first:last + 1]


def _under(curve: np.ndarray, boxes: np.ndarray, to_display) -> int:
    """How many of ``boxes`` (x0, y0, x1, y1 on the canvas) the curve runs under."""
    if not len(boxes):
        return 0
    points = to_display(curve[8:-8:3])
    inside = ((points[:, None, 0] >= boxes[None, :, 0]) & (points[:, None, 0] <= boxes[None, :, 2])
              & (points[:, None, 1] >= boxes[None, :, 1]) & (points[:, None, 1] <= boxes[None, :, 3]))
    return int(inside.any(axis=0).sum())


def _overlap_total(box: np.ndarray, others: np.ndarray) -> float:
    """Total area by which ``box`` (x0, y0, x1, y1) overlaps the rows of ``others``."""
    w = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    h = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return float((np.clip(w, 0, None) * np.clip(h, 0, None)).sum())


def _anchor(position: tuple[float, float], width: float, toward_x: float) -> np.ndarray:
    """Where an edge meets a concept: at the point of its row nearest the other end, so the
    many edges of a wide concept spread along it instead of meeting at its centre."""
    x, y = position
    reach = max(0.0, width / 2 - 0.25)
    return np.array([min(max(toward_x, x - reach), x + reach), y])


@text_as_written
def draw(graph: nx.DiGraph) -> Figure:
    """The concept map of ``graph`` (nodes with label, kind and level; edges with id and
    link) as a matplotlib figure sized for a printed page."""
    levels = sorted({graph.nodes[n]["level"] for n in graph})
    height = len(levels) * ROW_GAP - TRIM + LEGEND_HEIGHT
    fig = Figure(figsize=(WIDTH, height), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    renderer = fig.canvas.get_renderer()
    inch = fig.dpi_scale_trans.inverted()
    to_display = ax.transData.transform

    texts: dict[str, Text] = {}
    for n in graph:
        kind = graph.nodes[n]["kind"]
        hub = graph.degree(n) >= HUB_DEGREE  # drawn larger, so that its many edges spread out
        texts[n] = ax.text(0, 0, wrap(graph.nodes[n]["label"], 34 if hub else 15), ha="center", va="center",
                           fontsize=NODE_FONT * (1.25 if hub else 1), fontweight="bold" if hub else "normal", zorder=3,
                           bbox={"boxstyle": box_style(kind), "facecolor": FILL[kind], "edgecolor": EDGE[kind],
                                 "linewidth": 1.4 if hub else 0.9}, gid=f"concept-{n}")
    sizes = {n: tuple(_extent(t, renderer).transformed(inch).size) for n, t in texts.items()}
    plan = layout(graph, sizes)
    for n, position in plan.positions.items():
        texts[n].set_position(position)
    node_boxes = {n: _extent(t, renderer) for n, t in texts.items()}

    # Edges, those within a row first, then the shortest. A two-row edge takes the first shape in its order of preference
    # that runs under the fewest concepts; a long edge follows its route. Its linking phrase
    # goes where it covers no other label and as few other edges as possible (so that a phrase
    # is not read as naming a neighbouring arrow), as near the middle as that allows.
    # A phrase's box is measured once, then moved arithmetically.
    taken = np.array([[b.x0, b.y0, b.x1, b.y1] for b in node_boxes.values()])
    frame = ax.bbox
    origin = to_display(np.zeros(2))
    fractions = np.array(CANDIDATES)

    def span(edge: tuple[str, str]) -> tuple[bool, float]:
        """Edges within a row first (they have least room for a phrase), then the shortest."""
        u, v = edge
        return graph.nodes[u]["level"] != graph.nodes[v]["level"], math.dist(plan.positions[u], plan.positions[v])

    shapes: dict[tuple[str, str], tuple[np.ndarray, tuple[float, ...]]] = {}
    for u, v in graph.edges:
        route = plan.routes[(u, v)]
        first = route[0][0] if route else plan.positions[v][0]
        last = route[-1][0] if route else plan.positions[u][0]
        points = np.array([_anchor(plan.positions[u], sizes[u][0], first), *route,
                           _anchor(plan.positions[v], sizes[v][0], last)])
        if route:
            rads: tuple[float, ...] = (0.0,)
        elif graph.nodes[u]["level"] == graph.nodes[v]["level"]:
            rads = (0.7, -0.7, 0.5, -0.5, 0.9, -0.9, 1.2, -1.2, 1.5, -1.5)  # an edge within a row bows out of it
        else:
            rads = (0.0, 0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.45, -0.45)
        shapes[(u, v)] = (points, rads)
    # where every edge runs (its first shape until it is drawn), on the canvas
    traces = {edge: to_display(_curve(points, rads[0])[10:-10:3]) for edge, (points, rads) in shapes.items()}

    for u, v in sorted(graph.edges, key=span):
        points, rads = shapes[(u, v)]
        others = np.array([[b.x0, b.y0, b.x1, b.y1] for n, b in node_boxes.items() if n not in (u, v)])
        label = ax.text(0, 0, wrap(graph.edges[u, v]["link"], 20), ha="center", va="center", fontsize=LINK_FONT,
                        color="#333333", style="italic", zorder=2, gid=f"link-{graph.edges[u, v]['id']}",
                        bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.92})
        box = _extent(label, renderer)
        half = np.array([origin[0] - box.x0, origin[1] - box.y0, box.x1 - origin[0], box.y1 - origin[1]])
        other = [t for edge, t in traces.items() if edge != (u, v)]
        trace_points = np.vstack(other)
        trace_owner = np.zeros((len(trace_points), len(other)))  # which edge each point belongs to
        trace_owner[np.arange(len(trace_points)), np.repeat(np.arange(len(other)), [len(t) for t in other])] = 1
        curves = {rad: _curve(points, rad) for rad in rads}
        under = {rad: _under(curves[rad], others, to_display) for rad in rads}
        choice = None
        for rank, rad in enumerate(sorted(rads, key=lambda r: (under[r], rads.index(r)))):
            centres = to_display(np.array([_along(curves[rad], f) for f in fractions]))
            boxes = np.column_stack([centres[:, 0] - half[0], centres[:, 1] - half[1],
                                     centres[:, 0] + half[2], centres[:, 1] + half[3]])
            near = ((trace_points[:, 0] > boxes[:, 0].min()) & (trace_points[:, 0] < boxes[:, 2].max())
                    & (trace_points[:, 1] > boxes[:, 1].min()) & (trace_points[:, 1] < boxes[:, 3].max()))
            points, owner = trace_points[near], trace_owner[near]
            hit = ((points[None, :, 0] > boxes[:, None, 0]) & (points[None, :, 0] < boxes[:, None, 2])
                   & (points[None, :, 1] > boxes[:, None, 1]) & (points[None, :, 1] < boxes[:, None, 3]))
            crossed = ((hit.astype(float) @ owner) > 0).sum(axis=1)  # other edges under each place
            w = np.minimum(boxes[:, None, 2], taken[None, :, 2]) - np.maximum(boxes[:, None, 0], taken[None, :, 0])
            h = np.minimum(boxes[:, None, 3], taken[None, :, 3]) - np.maximum(boxes[:, None, 1], taken[None, :, 1])
            overlap = (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)
            outside = (boxes[:, 0] < frame.x0) | (boxes[:, 2] > frame.x1) | (boxes[:, 1] < frame.y0) | (boxes[:, 3] > frame.y1)
            overlap = overlap + np.where(outside, 1e9, 0.0)
            i = min(range(len(boxes)), key=lambda k: (overlap[k] > 0, int(crossed[k]), overlap[k], k))
            cost = (bool(overlap[i] > 0), under[rad], int(crossed[i]), float(overlap[i]), rank, i)
            if choice is None or cost < choice[0]:
                choice = (cost, rad, _along(curves[rad], fractions[i]), boxes[i])
            if not choice[0][0]:  # a free place was found: the shapes after this one run under more
                break
        _cost, rad, point, candidate = choice
        label.set_position(point)
        taken = np.vstack([taken, candidate])
        traces[(u, v)] = to_display(curves[rad][10:-10:3])
        clipped = _clip(curves[rad], texts[u], texts[v], to_display)
        arrow = FancyArrowPatch(path=MplPath(clipped), arrowstyle="-|>", mutation_scale=7, linewidth=0.7,
                                color="#555555", zorder=1, gid=f"edge-{graph.edges[u, v]['id']}", label=f"{u} {v}")
        ax.add_artist(arrow)  # not add_patch: the limits are fixed, and computing them is slow
    _legend(ax, height, renderer)
    return fig


def _legend(ax, height: float, renderer) -> None:
    """A key to the kinds, drawn with the outlines and colours of the map itself."""
    inch = ax.figure.dpi_scale_trans.inverted()
    y = height - LEGEND_HEIGHT / 2
    x = MARGIN + 0.05
    key = ax.text(x, y, "Kinds:", ha="left", va="center", fontsize=NODE_FONT, fontweight="bold", gid="legend-title")
    x += key.get_window_extent(renderer).transformed(inch).width + 0.25
    for kind in KINDS:
        sample = ax.text(x, y, kind, ha="left", va="center", fontsize=NODE_FONT, gid=f"legend-{kind}",
                         bbox={"boxstyle": box_style(kind), "facecolor": FILL[kind], "edgecolor": EDGE[kind], "linewidth": 0.9})
        x += _extent(sample, renderer).transformed(inch).width + 0.25
    ax.text(WIDTH - MARGIN, y, "concept — linking phrase → concept", ha="right", va="center",
            fontsize=LINK_FONT, style="italic", color="#333333", gid="legend-arrow")


def label_overlaps(fig: Figure, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of labels (concepts, linking phrases, key) whose boxes overlap, by gid.

    ``tolerance`` is in pixels, so that boxes that merely touch do not count.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_gid(), _extent(t, renderer).padded(-tolerance)) for ax in fig.axes for t in ax.texts if t.get_text()]
    clashes = []
    for i, (gid_a, a) in enumerate(boxes):
        for gid_b, b in boxes[i + 1:]:
            if min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0):
                clashes.append((gid_a, gid_b))
    return clashes


def edges_under_concepts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs (edge, concept) where an edge runs under a concept that is not one of its ends."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    concepts = {t.get_gid().removeprefix("concept-"): _extent(t, renderer)
                for t in ax.texts if (t.get_gid() or "").startswith("concept-")}
    found = []
    for patch in ax.patches:
        if not (patch.get_gid() or "").startswith("edge-"):
            continue
        ends = set(patch.get_label().split())
        points = ax.transData.transform(patch.get_path().vertices)
        for name, box in concepts.items():
            if name in ends:
                continue
            inside = (points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0) & (points[:, 1] < box.y1)
            if inside.any():
                found.append((patch.get_gid(), name))
    return found
