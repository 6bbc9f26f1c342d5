"""Model output made safe to show as HTML (security.md #42).

Model text is untrusted: markdown-it's "js-default" preset keeps raw HTML as text, and nh3
then keeps only an allowlist of tags and attributes, with links to http, https and mailto
only. This is the one source of HTML built from model text anywhere in the web UI.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = frozenset(
    {
        *("p", "br", "hr", "blockquote", "pre", "code", "strong", "em", "s", "del"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    }
)
# No img: a picture in an answer would be fetched from wherever the model pointed.
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("js-default")  # html=False: `<script>` stays text


def render_markdown(text: str) -> Markup:
    html = _markdown().render(text)
    return Markup(  # noqa: S704 - sanitised by nh3 just above (security.md #42)
        nh3.clean(
            html,
            tags=set(TAGS),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            url_relative="deny",  # a link to this site could not be told from our own
            link_rel=LINK_REL,
        )
    )
