"""The output formats. Each makes one fragment per rendered entry and a document from
the fragments of the entries it carries. The only package that imports feedgen.

May import every stage below it: `base`, `config`, `entries`, `render`.
"""
