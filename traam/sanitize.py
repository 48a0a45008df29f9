"""Rich text from the call (and from the pilot in the admin) is stored as a
small, safe subset of HTML."""

import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "b", "strong", "em", "i", "sup", "sub", "br", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def clean_html(value: str) -> str:
    if not value:
        return ""
    return nh3.clean(value, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https", "mailto"})
