"""Tests of feedpub/content/."""
