"""The extension's settings, namespaced ``scholarly_edition_*`` and typed (Sphinx checks the
type of a value set in ``conf.py`` and warns on a wrong one, which a strict build turns into a
failure)."""

from __future__ import annotations

from sphinx.application import Sphinx

#: The id each paragraph must carry, as a format string of the page's file name without its
#: folder (``{stem}``) and the paragraph's number on its page (``{number}``). A paragraph whose
#: id differs is reported, so ids stay stable and readable. An empty string accepts any id.
PARAGRAPH_ID = "scholarly_edition_paragraph_id"

#: How a paragraph is named where a reference to it has no text of its own, and in Sphinx's
#: inventory: a format string of the page's title (``{title}``) and the number (``{number}``).
PARAGRAPH_LABEL = "scholarly_edition_paragraph_label"

#: The paragraph number's text, before the paragraph (HTML and text output).
PARAGRAPH_MARK = "scholarly_edition_paragraph_mark"

#: The heading of every editors' note, and the name of a note in references.
NOTE_LABEL = "scholarly_edition_note_label"

#: The kinds of note an edition distinguishes (``:kind:``), each with the name its heading
#: shows: ``{"context": "Context"}``. A kind not listed is reported.
NOTE_KINDS = "scholarly_edition_note_kinds"

#: Where a page title is cut when a short paragraph reference (``:pref:``) names it: a regular
#: expression; the title up to its first match is kept ("" keeps the whole title).
SHORT_TITLE = "scholarly_edition_short_title"

#: The word that introduces a quoted source's attribution.
QUOTE_LABEL = "scholarly_edition_quote_label"

#: The register of emendations: a CSV file, from the configuration's folder ("" for none).
EMENDATIONS = "scholarly_edition_emendations"

#: The kinds of emendation a row may give, each with the name the apparatus shows:
#: ``{"punctuation": "punctuation regularised"}``. Empty: any kind, shown as written.
EMENDATION_KINDS = "scholarly_edition_emendation_kinds"

#: A regular expression every emendation id must match ("" accepts any id).
EMENDATION_ID = "scholarly_edition_emendation_id"

#: How one emendation is named (accessible names, messages, the row's label): ``{id}``.
EMENDATION_NAME = "scholarly_edition_emendation_name"

#: A regular expression for the editors' supplements in an edited reading, set apart as
#: the editors' ("" sets none apart).
SUPPLIED = "scholarly_edition_supplied"

#: The roles an edited reading may carry, as a regular expression of their names (e.g.
#: ``cite(:[a-z]+)?`` to let a reading link the citation it regularises). A reading is data:
#: any other role in it stays text. "" (the default) keeps every reading text.
READING_ROLES = "scholarly_edition_reading_roles"

#: The apparatus's six column headings, and their relative widths.
APPARATUS_HEADINGS = "scholarly_edition_apparatus_headings"
APPARATUS_WIDTHS = "scholarly_edition_apparatus_widths"

#: What the apparatus's place column says of a change outside the numbered paragraphs.
APPARATUS_UNPLACED = "scholarly_edition_apparatus_unplaced"

#: The id of an event's block (``event`` directive): a format string of the event's key (``{key}``).
EVENT_ID = "scholarly_edition_event_id"

#: How a reference to an event without text of its own names it: a format string of the
#: event's key (``{key}``) and the name it was listed with (``{name}``).
EVENT_REFERENCE = "scholarly_edition_event_reference"

#: What introduces, under an event, the list of the editors' notes that refer to it.
EVENT_MENTIONS_LABEL = "scholarly_edition_event_mentions_label"

#: The copy-text the edited text is held to (:mod:`.faithful`): a plain-text file, one paragraph
#: a line, from the configuration's folder. "" (the default) turns the check off.
COPY_TEXT = "scholarly_edition_copy_text"

#: The copy-text's heading from which on its lines need not stand in any paragraph of the
#: edition (a reference list that the edition sets as a bibliography). "": every line must.
COPY_TEXT_UNTIL = "scholarly_edition_copy_text_until"

#: How the copy-text prints a citation that the edition generates when a page is written:
#: ``{role: printed}``, regular expressions of the citation's role (``cite:t.*``, as
#: ``domain:type``) and of what the copy-text prints in its place; the first role that
#: matches wins. A reference no role matches is read as its words.
COPY_TEXT_CITATIONS = "scholarly_edition_copy_text_citations"

#: Blocks outside the numbered paragraphs that hold the copy-text's words (a title page), by
#: class, each with its name in messages: ``{"title-block": "title block"}``.
COPY_TEXT_BLOCKS = "scholarly_edition_copy_text_blocks"

#: The glossary (``edition-glossary`` directive): a YAML file, from the configuration's folder ("" for none).
GLOSSARY = "scholarly_edition_glossary"

#: The kinds of glossary entry, each with the name a definition opens with:
#: ``{"organisation": "Organisation"}``. Empty: any kind, shown with its hyphens as spaces
#: and a capital.
GLOSSARY_KINDS = "scholarly_edition_glossary_kinds"

#: The role that cites a glossary entry's source given as a bib key (a web address is a link
#: named by its site).
GLOSSARY_CITATION_ROLE = "scholarly_edition_glossary_citation_role"

#: The line under a definition that gives its source, or its sources: format strings of the
#: cited sources (``{sources}``, joined by "; ").
GLOSSARY_SOURCE = "scholarly_edition_glossary_source"
GLOSSARY_SOURCES = "scholarly_edition_glossary_sources"

#: The line under a definition that gives the other forms in which the text names the entry
#: (its aliases): a format string of the forms (``{forms}``, each given by
#: ``scholarly_edition_glossary_form``, a format string of ``{form}``, joined by ", ").
GLOSSARY_FORMS = "scholarly_edition_glossary_forms"
GLOSSARY_FORM = "scholarly_edition_glossary_form"

#: The lists of back-references (HTML): for each kind of target that gets one, the words
#: that open its list. Kinds: ``paragraph`` (a numbered paragraph lists the editors' notes,
#: and the sections of ``scholarly_edition_backlink_section_pages``, that link it),
#: ``citation`` (a bibliography entry or citation lists where it is cited) and ``term`` (a
#: glossary entry lists where the term is used). A kind left out gets no list.
BACKLINKS = "scholarly_edition_backlinks"

#: The pages (patterns of document names, ``analysis/*``) whose sections, not only their
#: editors' notes, are listed under the paragraphs they link.
BACKLINK_SECTION_PAGES = "scholarly_edition_backlink_section_pages"

#: How a list names an editors' note (``{title}``) and a numbered paragraph (``{number}``).
BACKLINK_NOTE = "scholarly_edition_backlink_note"
BACKLINK_PARAGRAPH = "scholarly_edition_backlink_paragraph"


def setup(app: Sphinx) -> None:
    app.add_config_value(PARAGRAPH_ID, "{stem}-p{number}", "env", types=[str])
    app.add_config_value(PARAGRAPH_LABEL, "{title} ¶{number}", "env", types=[str])
    app.add_config_value(PARAGRAPH_MARK, "¶{number}", "env", types=[str])
    app.add_config_value(NOTE_LABEL, "Editors' note", "env", types=[str])
    app.add_config_value(NOTE_KINDS, {}, "env", types=[dict])
    app.add_config_value(SHORT_TITLE, ":", "env", types=[str])
    app.add_config_value(QUOTE_LABEL, "Quoted source", "env", types=[str])
    app.add_config_value(EMENDATIONS, "", "env", types=[str])
    app.add_config_value(EMENDATION_KINDS, {}, "env", types=[dict])
    app.add_config_value(EMENDATION_ID, "", "env", types=[str])
    app.add_config_value(EMENDATION_NAME, "emendation {id}", "env", types=[str])
    app.add_config_value(READING_ROLES, "", "env", types=[str])
    app.add_config_value(SUPPLIED, r"\[[^\]]*\]", "env", types=[str])
    app.add_config_value(APPARATUS_HEADINGS, ["No.", "Where", "Kind", "Printed", "Edition", "Editors' note"], "env",
                         types=[list, tuple])
    app.add_config_value(APPARATUS_WIDTHS, [8, 16, 14, 22, 22, 38], "env", types=[list, tuple])
    app.add_config_value(APPARATUS_UNPLACED, "Outside the numbered text", "env", types=[str])

    app.add_config_value(EVENT_ID, "event-{key}", "env", types=[str])
    app.add_config_value(EVENT_REFERENCE, "{name}", "env", types=[str])
    app.add_config_value(EVENT_MENTIONS_LABEL, "Discussed in the editors' notes: ", "env", types=[str])
    app.add_config_value(COPY_TEXT, "", "env", types=[str])
    app.add_config_value(COPY_TEXT_UNTIL, "", "env", types=[str])
    app.add_config_value(COPY_TEXT_CITATIONS, {}, "env", types=[dict])
    app.add_config_value(COPY_TEXT_BLOCKS, {}, "env", types=[dict])
    app.add_config_value(GLOSSARY, "", "env", types=[str])
    app.add_config_value(GLOSSARY_KINDS, {}, "env", types=[dict])
    app.add_config_value(GLOSSARY_CITATION_ROLE, "cite:t", "env", types=[str])
    app.add_config_value(GLOSSARY_SOURCE, "Source: {sources}.", "env", types=[str])
    app.add_config_value(GLOSSARY_SOURCES, "Sources: {sources}.", "env", types=[str])
    app.add_config_value(GLOSSARY_FORMS, "Also named in the text as {forms}.", "env", types=[str])
    app.add_config_value(GLOSSARY_FORM, "“{form}”", "env", types=[str])

    # The lists are made when a page is written ("html"); the places' names when it is read.
    app.add_config_value(BACKLINKS, {"paragraph": "Discussed in", "citation": "Cited in", "term": "Used in"}, "html",
                         types=[dict])
    app.add_config_value(BACKLINK_SECTION_PAGES, [], "html", types=[list, tuple])
    app.add_config_value(BACKLINK_NOTE, "note “{title}”", "env", types=[str])
    app.add_config_value(BACKLINK_PARAGRAPH, "¶{number}", "env", types=[str])
