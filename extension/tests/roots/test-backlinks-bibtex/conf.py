extensions = ['scholarly_edition', 'sphinxcontrib.bibtex']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
bibtex_bibfiles = ['works.bib']
bibtex_reference_style = 'author_year'
