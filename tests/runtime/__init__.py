"""Tests of feedpub/runtime/."""
