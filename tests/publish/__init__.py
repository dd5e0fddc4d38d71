"""Tests of feedpub/publish/."""
