"""A Python-Markdown extension that drops links and images with unsafe addresses, event handlers and styles.

Listed under `markdown_extensions` in mkdocs.yml, so it runs on every page
after Markdown is parsed. Validation already rejects `javascript:` and
`data:` links in records. This is the second line of defence: it works on
the rendered tree, where no escaping trick in the Markdown source can hide a
link from it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = {"", "http", "https", "mailto"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_address(address: str) -> bool:
    """Tell whether a link address is relative or uses http, https or mailto.

    >>> is_safe_address("../vendors/acme/"), is_safe_address(" JaVa\\tScript:alert(1)")
    (True, False)
    """
    cleaned = _INVISIBLE.sub("", address)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


class _DropUnsafeAddresses(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            # The attr_list extension can set any attribute; event handlers and styles are never the site's own.
            for attribute in [name for name in element.attrib if name.lower().startswith("on") or name.lower() == "style"]:
                del element.attrib[attribute]
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_address(value):
                    del element.attrib[attribute]
                    _unlink(element)


def _unlink(element: Element) -> None:
    # MkDocs rewrites the address of every link and image after this step and fails on one
    # without an address, so an unsafe link becomes its text and an unsafe image its alt text.
    if element.tag == "img":
        element.text = element.attrib.pop("alt", "")
        element.attrib.pop("title", None)
    if element.tag in ("a", "img"):
        element.tag = "span"


class SafeLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        # Priority 0 runs after the inline processor has created every link.
        md.treeprocessors.register(_DropUnsafeAddresses(md), "consent_atlas_safe_links", 0)


def makeExtension(**kwargs: object) -> SafeLinksExtension:  # noqa: N802 (Python-Markdown's API name)
    return SafeLinksExtension(**kwargs)
