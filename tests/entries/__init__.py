"""Tests of feedpub/entries/."""
