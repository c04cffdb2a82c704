"""Writing record text safely into Markdown pages.

Every string from a record goes through one of two functions before it
reaches a page. `text` is for single-line fields (names, aliases, questions,
cookie names): it escapes HTML and every Markdown character, so the visitor
sees exactly what the contributor typed. `prose` is for the Markdown fields:
it keeps the Markdown but turns `<` and `&` outside code spans into entities,
so raw HTML shows as text even if it slipped past validation, and escapes `{`
so that no attribute list (`{ onclick=... }`) reaches the attr_list extension. Unsafe link
schemes are removed later, on the rendered HTML, by `generator.markdown_safety`.
"""

from __future__ import annotations

import html
import re
from typing import Any, Callable

import yaml

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>")
_HTML_META = ("title", "description")


def text(value: str) -> str:
    """Escape a plain-text value for use anywhere in Markdown, table cells included.

    >>> text("Acme <b>*Ads*</b> | #2")
    'Acme &lt;b&gt;\\\\*Ads\\\\*&lt;/b&gt; \\\\| \\\\#2'
    """
    return _escape_text(" ".join(value.split()))


def _escape_text(value: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escaped)


def inline(value: str) -> str:
    """Escape a single-line value like `text`, but keep its `code spans` as code.

    >>> inline("Is `_fbp` a <b>cookie</b>?")
    'Is `_fbp` a &lt;b&gt;cookie&lt;/b&gt;?'
    """
    return _outside_code_spans(" ".join(value.split()), _escape_text)


def prose(value: str) -> str:
    """Keep a prose field's Markdown but show any HTML in it as text."""
    return _outside_code_spans(value, _escape_html).strip()


def _outside_code_spans(value: str, escape: Callable[[str], str]) -> str:
    """Apply `escape` to the text between code spans; Markdown shows code spans literally already."""
    pieces = []
    position = 0
    for match in _CODE_SPAN.finditer(value):
        pieces.append(escape(value[position:match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(escape(value[position:]))
    return "".join(pieces)


def _escape_html(segment: str) -> str:
    links: list[str] = []

    def keep(match: re.Match[str]) -> str:
        links.append(match.group(0))
        return f"\x00{len(links) - 1}\x00"

    segment = _AUTOLINK.sub(keep, segment)
    # An escaped `{` cannot open an attribute list, with which prose could set attributes such as onclick.
    segment = segment.replace("&", "&amp;").replace("<", "&lt;").replace("{", "\\{")
    return re.sub("\x00(\\d+)\x00", lambda match: links[int(match.group(1))], segment)


def indent(block: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in block.split("\n"))


def link_url(url: str) -> str:
    """Write a URL as a Markdown link destination; validation has checked it is http(s)."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def front_matter(meta: dict[str, Any]) -> str:
    # MkDocs renders theme templates without autoescaping, and Material writes the title and the
    # description into the page's head and header as they are: they are stored as HTML text.
    meta = {key: html.escape(value) if key in _HTML_META and isinstance(value, str) else value for key, value in meta.items()}
    # libyaml's emitter is an order of magnitude faster than PyYAML's, which dominated page generation.
    dumped = yaml.dump(meta, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n\n"


def page(meta: dict[str, Any], body: list[str]) -> str:
    """Join a page's front matter and body blocks, separated by blank lines."""
    return front_matter(meta) + "\n\n".join(block for block in body if block) + "\n"
