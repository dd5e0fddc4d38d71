"""Leaf modules every stage may use: problems (errors, warnings, notes), text cleaning,
URLs and IRIs, people (names, e-mails, URIs), and FIFO-safe reading of regular files.

Imports nothing of feedpub's above it.
"""
