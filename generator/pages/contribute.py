"""The site's Contribute page, built from the repository's CONTRIBUTING.md.

CONTRIBUTING.md is written to be read on GitHub, so its links are relative
to the repository root. On the site the page lives at the root of the docs
folder: links into `docs/` become links between site pages, and links to any
other repository file point at that file on GitHub.
"""

from __future__ import annotations

import re

from generator.pages.markdown import page

_FENCE = re.compile(r"^\s*(```|~~~)")
# An inline link or image target: `](target)` or `](target "title")`.
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def render_contribute(markdown: str, repo_url: str, branch: str) -> str:
    """Return CONTRIBUTING.md as a site page, with its repository links rewritten for the site.

    >>> render_contribute("# Contributing\\n\\nSee [verdicts](docs/about/verdicts.md) and [NOTICE](NOTICE).\\n",
    ...                   "https://github.com/o/r", "main").splitlines()[-1]
    'See [verdicts](about/verdicts.md) and [NOTICE](https://github.com/o/r/blob/main/NOTICE).'
    """
    lines = []
    in_fence = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        lines.append(line if in_fence else _LINK.sub(lambda match: _rewrite(match, repo_url, branch), line))
    meta = {"description": "How to add or correct a vendor in Consent Atlas: the record, its checks and the pull request."}
    return page(meta, ["\n".join(lines).strip()])


def _rewrite(match: re.Match[str], repo_url: str, branch: str) -> str:
    target = match.group("target")
    title = match.group("title") or ""
    if _SCHEME.match(target) or target.startswith(("#", "/")):
        return match.group(0)
    if target.startswith("docs/"):
        return f"]({target.removeprefix('docs/')}{title})"
    return f"]({repo_url}/blob/{branch}/{target}{title})"
