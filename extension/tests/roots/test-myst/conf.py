extensions = ['myst_parser', 'scholarly_edition']
source_suffix = {'.md': 'markdown'}
myst_enable_extensions = ['colon_fence']
exclude_patterns = ['_build']
