extensions = ['myst_parser', 'scholarly_edition']
source_suffix = {'.md': 'markdown'}
myst_enable_extensions = ['colon_fence', 'smartquotes']
exclude_patterns = ['_build']
scholarly_edition_glossary = 'terms.yaml'
scholarly_edition_glossary_citation_role = 'doc'
