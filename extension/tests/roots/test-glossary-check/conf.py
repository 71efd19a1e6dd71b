from scholarly_edition.strict_data import DataError

extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
scholarly_edition_glossary = 'terms.yaml'


def refuse_forbidden(app, path, term):
    """An edition's own rule for an entry."""
    if 'Forbidden' in term.definition:
        raise DataError(path, term.row, 'definition', f'forbidden word (entry at line {term.line})')


def setup(app):
    app.setup_extension('scholarly_edition')
    app.connect('edition-glossary-entry', refuse_forbidden)
