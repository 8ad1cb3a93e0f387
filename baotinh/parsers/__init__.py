"""Page parsers: one small class per CMS family version (``families``) and the generic parser.

A regular package (not a namespace one): eggs are imported from a zip file, where namespace
packages are not found, so scrapyd could not import the parsers.
"""
