"""sphinx-scholarly-edition: the elements of a scholarly edition, as a Sphinx extension.

An edition's text is divided into numbered paragraphs with stable ids, which readers cite and
editors' notes, apparatus entries and data point to. This extension gives them:

* ``.. para:: <id>`` (``:::{para} <id>`` in MyST): one numbered paragraph of the edited text,
  written as one node (:class:`~scholarly_edition.paragraph.numbered_paragraph`) with its
  HTML, LaTeX and text output side by side;
* ``.. ednote::`` (editors' notes on named paragraphs), ``.. quoted-source::`` and ``:pref:``
  (:mod:`.notes`);
* ``:emend:`` (an edited reading, kept beside the printed one) and ``.. apparatus::``
  (the register of emendations as a table) (:mod:`.emendations`);
* the data-validation API (:mod:`.strict_data`);
* the ``edition`` domain (:class:`~scholarly_edition.domain.EditionDomain`), which holds the
  paragraphs and notes of every page, resolves ``:edition:par:`id``` (and ``:any:``), merges the pages
  read in parallel and forgets a page read again; the paragraphs are also labels of Sphinx's
  standard domain (``:ref:`id```), noted through its public ``note_hyperlink_target``;
* dated events (:mod:`.events`): ``.. event:: <key>`` (or an edition's own directive calling
  the domain's ``note_event``), ``:edition:event:`key``` from any page, and under each event
  the list of the editors' notes that refer to it, kept by the domain page by page.
* the copy-text check (:mod:`.faithful`, its comparison, without Sphinx, in :mod:`.fidelity`):
  every paragraph, read as printed, is held to the copy-text ``scholarly_edition_copy_text`` names.
* ``.. edition-glossary::``: a glossary generated from a YAML file, its terms targets of
  ``:term:`` (:mod:`.glossary`; read without Sphinx by :mod:`.glossary_data`).
* back-references (:mod:`.backlinks`): under each paragraph, cited work and glossary entry,
  the places that link it ("Discussed in …", "Cited in …", "Used in …"), computed from the
  forward links, which the domain keeps page by page.

Configuration is namespaced (``scholarly_edition_*``) and typed: see :mod:`.config`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.3.0"

# Sphinx discards a saved environment made by another env_version: raise it whenever what the
# domain keeps, or the nodes it leaves in the doctrees, change shape.
ENV_VERSION = 5


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here, not above: the data-validation API and the register (strict_data, register)
    # are used without Sphinx (an edition's data checks and notebooks, a Binder image).
    from . import backlinks, config, domain, emendations, events, faithful, glossary, notes, paragraph

    config.setup(app)
    domain.setup(app)
    paragraph.setup(app)
    notes.setup(app)
    emendations.setup(app)
    events.setup(app)
    faithful.setup(app)
    glossary.setup(app)
    backlinks.setup(app)
    return {"version": __version__, "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
