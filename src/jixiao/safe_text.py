"""Text that every writer can hold: no control characters, no lone surrogates, no formulas.

Word and Excel files are XML: a control character or half of a surrogate pair in a cell makes the
writer fail, and a cell starting with `=` would be written as a formula. Readers clean what they
read with `xml_safe`; writers pass every text through it again, so no input can stop a report.
"""

from __future__ import annotations

import re

# XML 1.0 allows tab, line feed and carriage return among the C0 controls, and no surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML cannot hold (a lone surrogate becomes U+FFFD)."""
    if not _ILLEGAL.search(text):
        return text
    return _ILLEGAL.sub(lambda m: "\ufffd" if "\ud800" <= m[0] <= "\udfff" else "", text)


def has_illegal(text: str) -> bool:
    return bool(_ILLEGAL.search(text))
