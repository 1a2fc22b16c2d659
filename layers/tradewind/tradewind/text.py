"""Text a user names things with: names, labels, tags, descriptions, notes.

What a user names ends up in terminals (the CLI, ``tail`` of a log), HTML and CSV downloads, so it must
not carry control characters: NUL, CR/LF (forged log lines), ESC (terminal escape sequences), the
other C0 and C1 controls and DEL, the Unicode line and paragraph separators, and the bidi embeddings,
overrides and isolates (U+202A to U+202E, U+2066 to U+2069) that make text display in another order than
it reads. They are refused (422 at the field), never stripped, so what is stored is what was sent.

:data:`Name` is one line; :data:`Description` also allows line feeds and tabs (prose). Both are plain
string patterns, so each field keeps its own length bounds, every surface that takes them (the API's
request models, the strategy document, the job specs) reports the standard
``string_pattern_mismatch`` error, and the OpenAPI and strategy JSON schemas state the rule.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
"""Every refused character but tab (U+0009) and line feed (U+000A), as a regex character range."""

NAME_PATTERN = rf"^[^\t\n{_CONTROLS}]*$"
DESCRIPTION_PATTERN = rf"^[^{_CONTROLS}]*$"

Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
"""A one-line name or label: no control characters, no line breaks, no bidi controls."""

Description = Annotated[str, StringConstraints(pattern=DESCRIPTION_PATTERN)]
"""Prose: like :data:`Name`, but line feeds and tabs are allowed."""
