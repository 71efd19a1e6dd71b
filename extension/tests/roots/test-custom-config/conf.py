extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
scholarly_edition_paragraph_id = '{stem}.{number}'
scholarly_edition_paragraph_label = '{title}, paragraph {number}'
scholarly_edition_paragraph_mark = '[{number}]'
