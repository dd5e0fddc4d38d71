"""Sources validated, field by field, into immutable `Entry` values (dates, people,
slugs, ids, links), every entry file loaded (in two processes when it pays), and the
choice of the entries a feed publishes.

May import `base`, `runtime`, `config` and `content`.
"""
