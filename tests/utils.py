import html


def text_of(response) -> str:
    """The page's HTML with entities decoded, so assertions read like the page."""
    return html.unescape(response.content.decode())
