extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
scholarly_edition_glossary = 'terms.yaml'
