"""Tests of feedpub/config/."""
