"""Plain-text helpers shared by the pipeline stages."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot carry at all (even escaped): C0 controls other than
# tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> tuple[str, int]:
    """The text without XML-invalid characters, and how many were removed."""
    cleaned, count = _XML_INVALID.subn("", value)
    return cleaned, count
