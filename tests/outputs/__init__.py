"""Tests of feedpub/outputs/."""
