"""The ``{review-record}`` directive: the page "Record of the editorial review".

Every file of ``data/review/`` becomes one table, in the order of
:data:`aes_edition.review.SCOPES`, headed by the count of its outcomes, after a summary
of all scopes. The reviewers' words (item, outcome, finding) enter the page as text
nodes, never parsed as markup, so a finding that quotes ``*``, ``{cite}`` or ``<b>`` shows
exactly those characters in every output. Only the sources are markup, and only markup
the edition writes itself: a citation of a key the loader has checked, or a link. Each item
links to where it stands in the edition (a note, an emendation, a glossary entry, a timeline
event), so a reader can go from the verdict to the thing judged.
"""

from __future__ import annotations

from docutils import nodes
from scholarly_edition.notes import note_label
from scholarly_edition.strict_data import DataError
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ..emendations import load_emendations
from ..glossary import load_glossary
from ..review import FOLDER, OUTCOMES, SCOPES, SOURCE_URL, ReviewFile, ReviewRow, editors_notes, load_review
from ..timeline import load_timeline
from .pages import PerPageDomain


def item_targets() -> dict[str, dict[str, tuple[str, str]]]:
    """{scope file: {item: (reference type, target)}}: where each item the record may name
    stands in the edition, so that the record links it. Items of a scope not listed here (the
    register, whose rows carry no label, and the analysis) are shown as text."""
    notes = {n.name: ("ref", note_label(n.chapter, n.title)) for n in editors_notes()}
    first_event: dict[str, str] = {}
    for event in load_timeline():
        first_event.setdefault(event.date, event.anchor)
    return {
        "notes.csv": notes,
        "later.csv": notes,
        "emendations.csv": {key: ("ref", row.anchor) for key, row in load_emendations().items()},
        "glossary.csv": {term.term: ("term", term.term.lower()) for term in load_glossary()},
        "timeline.csv": {date: ("ref", anchor) for date, anchor in first_event.items()},
    }


def outcome_counts(counts: dict[str, int]) -> str:
    """'31 kept, 6 corrected, 2 narrowed' (outcomes in the order of the format)."""
    return ", ".join(f"{n} {outcome}" for outcome, n in counts.items()) or "no rows"


def _entry(*children: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
    entry = nodes.entry(classes=classes or [])
    entry += nodes.paragraph("", "", *children)
    return entry


def _text_entry(text: str, classes: list[str] | None = None) -> nodes.entry:
    return _entry(nodes.Text(text), classes=classes)


def _table(widths: list[int], header: list[str], rows: list[list[nodes.entry]], classes: list[str]) -> nodes.table:
    # "colwidths-given": the writers use these widths; without them the PDF sets a long
    # table's columns unbreakable, as wide as their longest cell.
    table = nodes.table(classes=[*classes, "colwidths-given"])
    group = nodes.tgroup(cols=len(widths))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    head += nodes.row("", *(_text_entry(name) for name in header))
    group += head
    body = nodes.tbody()
    body.extend(nodes.row("", *cells) for cells in rows)
    group += body
    return table


class ReviewRecordDirective(SphinxDirective):
    """Render the record of the review: a summary, then one table per scope."""

    def run(self) -> list[nodes.Node]:
        try:
            files = load_review()
        except DataError as error:
            raise ExtensionError(f"data error: {error}") from error
        # Each file read is a dependency (a changed or removed file reads the page again);
        # a file added to the folder is caught by :func:`record_is_outdated`.
        for review in files:
            self.env.note_dependency(str(review.path))
        _files_shown(self.env)[self.env.docname] = _files_in_folder()
        self.targets = item_targets() if files else {}
        container = nodes.container(classes=["editorial", "review-record"])
        container += self._summary(files)
        for review in files:
            container.extend(self._scope(review))
        return [container]

    def _summary(self, files: list[ReviewFile]) -> list[nodes.Node]:
        present = {review.scope.file: review for review in files}
        rows = []
        for scope in SCOPES:
            review = present.get(scope.file)
            if review is None:
                rows.append([_text_entry(scope.title), _text_entry("—"), _text_entry("not yet recorded")])
                continue
            link = nodes.reference("", scope.title, internal=True, refid=self._anchor(review))
            rows.append([_entry(link), _text_entry(str(len(review.rows))), _text_entry(outcome_counts(review.counts()))])
        total = sum(len(review.rows) for review in files)
        overall: dict[str, int] = {}
        for review in files:
            for outcome, n in review.counts().items():
                overall[outcome] = overall.get(outcome, 0) + n
        overall = {outcome: overall[outcome] for outcome in OUTCOMES if outcome in overall}
        rows.append([_text_entry("All scopes"), _text_entry(str(total)), _text_entry(outcome_counts(overall))])
        table = _table([24, 10, 66], ["Scope", "Items", "Outcomes"], rows, ["review-summary"])
        legend = nodes.definition_list(classes=["review-outcomes"])
        for outcome, meaning in OUTCOMES.items():
            item = nodes.definition_list_item()
            item += nodes.term(outcome, outcome)
            definition = nodes.definition()
            definition += nodes.paragraph(meaning, meaning[0].upper() + meaning[1:] + ".")
            item += definition
            legend += item
        return [table, legend]

    @staticmethod
    def _anchor(review: ReviewFile) -> str:
        return f"review-{review.path.stem}"

    def _scope(self, review: ReviewFile) -> list[nodes.Node]:
        anchor = self._anchor(review)
        # The anchor is a target of its own: a rubric carries no label into the PDF.
        target = nodes.target("", "", ids=[anchor])
        self.state.document.ids[anchor] = target
        heading = nodes.rubric(review.scope.title, review.scope.title, classes=["review-scope"])
        items = f"{len(review.rows)} item{'' if len(review.rows) == 1 else 's'}"
        counts = f"{items}, {review.scope.what}: {outcome_counts(review.counts())}."
        summary = nodes.paragraph(counts, counts, classes=["review-counts"])
        where = f"data/review/{review.path.name}"
        summary += nodes.Text(" From ")
        summary += nodes.literal(where, where)
        summary += nodes.Text(".")
        rows = [
            [
                self._item(review, row),
                _text_entry(row.outcome, ["review-outcome", f"review-{row.outcome}"]),
                _text_entry(row.finding, ["review-finding"]),
                self._sources(row.sources),
            ]
            for row in review.rows
        ]
        table = _table([22, 11, 47, 20], ["Item", "Outcome", "Finding", "Sources"], rows, ["review-table"])
        return [target, heading, summary, table]

    def _item(self, review: ReviewFile, row: ReviewRow) -> nodes.entry:
        """The item, linked to where it stands in the edition; a removed item, or one of a
        scope whose items have no place to link to, is shown as text."""
        targets = self.targets.get(review.scope.file, {})
        key = row.item.split()[0] if review.scope.file == "timeline.csv" else row.item
        target = targets.get(key) if row.outcome != "removed" else None
        if target is None:
            return _text_entry(row.item, ["review-item"])
        reftype, reftarget = target
        ref = addnodes.pending_xref("", refdomain="std", reftype=reftype, reftarget=reftarget, refexplicit=True,
                                    refwarn=True, refdoc=self.env.docname)
        ref += nodes.inline(row.item, row.item)
        return _entry(ref, classes=["review-item"])

    def _sources(self, sources: tuple[str, ...]) -> nodes.entry:
        """Each source as a citation of its bib entry, or a link named by its address."""
        children: list[nodes.Node] = []
        for index, source in enumerate(sources):
            if index:
                children.append(nodes.Text("; "))
            if SOURCE_URL.match(source):
                # An address is shown as written: smart quotes would turn its "--" into a dash, and
                # a link whose text is not its address is set in print as text that cannot break.
                children.append(nodes.reference(source, source, refuri=source, support_smartquotes=False))
            elif source == "copy-text":
                children.append(nodes.Text("the copy-text"))
            elif source.startswith("copy-text:"):
                line = source.split(":", 1)[1]
                children.append(nodes.Text(f"copy-text, line {line}"))
            else:  # a key the loader found in editors.bib or references.bib
                cited, messages = self.state.inline_text(f"{{cite:t}}`{source}`", self.lineno)
                children.extend(cited)
                children.extend(messages)
        return _entry(*children, classes=["review-sources"]) if children else _text_entry("—", ["review-sources"])


class ReviewFilesDomain(PerPageDomain):
    """Holds the files of ``data/review/`` each page of the record showed: ``{docname: [file name, …]}``."""

    name = "aes-review-files"
    label = "Files of the review record shown on each page"
    data_version = 1
    store = "files_shown"


def _files_in_folder() -> list[str]:
    return sorted(p.name for p in FOLDER.iterdir() if p.is_file() and not p.name.startswith(".")) \
        if FOLDER.is_dir() else []


def _files_shown(env) -> dict[str, list[str]]:
    return env.get_domain(ReviewFilesDomain.name).pages


def record_is_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The page of the record is read again when a file comes to, or goes from, the folder
    (Sphinx watches files, and a folder is no file it can watch)."""
    now = _files_in_folder()
    return [doc for doc, shown in _files_shown(env).items() if shown != now and doc in env.found_docs]


def setup(app: Sphinx) -> None:
    app.add_directive("review-record", ReviewRecordDirective)
    app.connect("env-get-outdated", record_is_outdated)
    app.add_domain(ReviewFilesDomain)
