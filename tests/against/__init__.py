"""Tests of feedpub/against/."""
