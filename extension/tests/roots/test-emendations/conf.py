extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
scholarly_edition_emendations = 'emendations.csv'
scholarly_edition_emendation_kinds = {'punctuation': 'punctuation regularised', 'lacuna': 'text wanting'}
scholarly_edition_emendation_id = 'E[0-9]{2}'
scholarly_edition_reading_roles = 'ref'
latex_documents = [('index', 'project.tex', 'Project', 'Editors', 'manual')]
