"""French typography for the bilans (*typographie française*): a narrow
no-break space before « ; ! ? », a no-break space before « : » and inside
« guillemets », so that no line starts with a punctuation mark.

``french`` works on plain text; ``french_html`` on a rendered document, text
between tags only (user text, already escaped, and the template's own words
alike). Both leave URLs and character references alone, and applying them
twice changes nothing."""

import re

NBSP = "\u00a0"
NNBSP = "\u202f"  # espace fine insécable

# « ; ! ? » after a word or a closing mark, with or without a space typed before.
_HIGH_PUNCTUATION = re.compile(r"(?<=[\w\)\]»%…'’\"\ue001])[ \t\u00a0\u202f]*([;!?]+)")
# « : » after a word and before a space (so that 10:30 and https:// stay as they are).
_COLON = re.compile(r"(?<=[^\W\d_]|[\)\]»])[ \t\u00a0\u202f]*:(?=\s|$)")
_OPENING_QUOTE = re.compile(r"«[ \t\u00a0\u202f]*")
_CLOSING_QUOTE = re.compile(r"[ \t\u00a0\u202f]*»")
# A URL or a character reference (&#x27;) keeps its characters.
_URL = re.compile(r"https?://[^\s<]+|&#?\w+;")
# Kept parts stand in the text as private-use placeholders while it is spaced.
_KEPT_START, _KEPT_END = "\ue000", "\ue001"
_KEPT = re.compile(_KEPT_START + r"(\d+)" + _KEPT_END)
# Markup, left alone by french_html.
_TAG = re.compile(r"(<[^>]*>)")


def french(text) -> str:
    """``text`` with French spacing around punctuation (URLs and character references left alone)."""
    if text is None:
        return ""
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"{_KEPT_START}{len(kept) - 1}{_KEPT_END}"

    spaced = _space(_URL.sub(keep, str(text)))
    return _KEPT.sub(lambda match: kept[int(match.group(1))], spaced)


def french_html(html: str) -> str:
    """An HTML document with French spacing in its text (never inside tags)."""
    return "".join(piece if piece.startswith("<") else french(piece) for piece in _TAG.split(html))


def _space(text: str) -> str:
    text = _HIGH_PUNCTUATION.sub(lambda match: NNBSP + match.group(1), text)
    text = _COLON.sub(NBSP + ":", text)
    text = _OPENING_QUOTE.sub("«" + NBSP, text)
    return _CLOSING_QUOTE.sub(NBSP + "»", text)

