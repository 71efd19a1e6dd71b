extensions = ['scholarly_edition']
source_suffix = {'.rst': 'restructuredtext'}
exclude_patterns = ['_build']
# The sections of this page, not only the editors' notes, discuss the paragraphs they link.
scholarly_edition_backlink_section_pages = ['analysis*']
