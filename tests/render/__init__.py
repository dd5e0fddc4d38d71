"""Tests of feedpub/render/."""
