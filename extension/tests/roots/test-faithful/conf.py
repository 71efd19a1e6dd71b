extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
scholarly_edition_emendations = 'emendations.csv'
scholarly_edition_copy_text = 'copy-text.txt'
scholarly_edition_copy_text_until = 'References'
# The copy-text prints "(Doe, 2020)" where the edition cites [Doe2020]_.
scholarly_edition_copy_text_citations = {'citation:ref': r'\([^()]{1,80}\)'}
scholarly_edition_copy_text_blocks = {'title-block': 'title block'}
