from docutils import nodes

extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
scholarly_edition_glossary = 'terms.yaml'
scholarly_edition_glossary_citation_role = 'work'


def work_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """A stand-in for a citation role (sphinxcontrib-bibtex's ``cite:t`` in an edition)."""
    return [nodes.inline(rawtext, f'cited {text}', classes=['cited-work'])], []


def setup(app):
    app.add_role('work', work_role)
