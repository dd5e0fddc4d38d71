"""Leaf modules every stage may use: problems (errors, warnings, notes), text cleaning,
URLs and IRIs, people (names, e-mails, URIs), FIFO-safe reading of regular files,
tomllib's error positions, and
HTML read in time proportional to its length (its text, or HTML written again bounded:
html_parse, html_text, html_flatten, html_writer).

Imports nothing of feedpub's above it.
"""
