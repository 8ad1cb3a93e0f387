"""Page parsers: extraction only, no crawling (a parser runs on a saved page alone).

- ``base``: ``ParsedPage``, ``Image``, ``PageParser``;
- ``families/``: one module per CMS family, each holding its version classes (they register
  themselves); ``families.parser_for(family, captured_at)`` picks the version for a capture;
- ``generic*``: the generic parser, for papers without a family parser and for what a family
  parser's selectors leave empty;
- ``bylines``, ``datelines``, ``page_kind``: the rules every parser shares (credit lines, the
  article's date line, bot walls / script shells / listings).
"""
