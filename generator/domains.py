"""Host names: reading what a contributor wrote, and matching hosts to vendors.

Validation uses `parse_host` to turn an entry of a record's `domains` list
into a normalised host (lowercase, no trailing dot, IDN as punycode), or into
an error with the host the contributor should have written. The lookup uses
`host_from_url_or_host` and `parent_domains` to find the most specific listed
domain that covers a host.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna
from publicsuffixlist import PublicSuffixList

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class HostError:
    message: str
    hint: str


@functools.cache
def public_suffix_list() -> PublicSuffixList:
    """Return the Public Suffix List shipped with `publicsuffixlist`, private section included."""
    return PublicSuffixList(only_icann=False)


@functools.lru_cache(maxsize=65536)
def parse_host(text: str) -> str | HostError:
    """Normalise a domain entry, or explain what to write instead.

    >>> parse_host("CDN.Example.com.")
    'cdn.example.com'
    >>> parse_host("https://px.example/collect?id=1").hint
    'write the host alone: `px.example`'
    """
    entry = text.strip()
    if not entry:
        return HostError("is empty", "write a host name such as `cdn.example.com`")
    shape_error = _shape_error(entry)
    if shape_error:
        return shape_error
    return normalise_host(entry)


def _shape_error(entry: str) -> HostError | None:
    if _is_ip_address(entry):
        return HostError("is an IP address", "list the host name the script loads from instead")
    if "," in entry:
        parts = ", ".join(f"`{part.strip()}`" for part in entry.split(",") if part.strip())
        return HostError("contains a comma", f"write each domain as its own entry: {parts}")
    if any(character.isspace() for character in entry):
        parts = ", ".join(f"`{part}`" for part in entry.split())
        return HostError("contains a space", f"write each domain as its own entry: {parts}")
    if "://" in entry or entry.startswith("//"):
        host = _host_of_url(entry)
        hint = f"write the host alone: `{host}`" if host else "write the host name alone, such as `cdn.example.com`"
        return HostError("is a URL, not a host name", hint)
    for separator, what in (("/", "a path"), ("?", "a query"), ("#", "a fragment")):
        if separator in entry:
            host = re.split(r"[/?#:]", entry, maxsplit=1)[0]
            return HostError(f"contains {what}", f"write the host alone: `{host}`" if host else "write the host name alone, such as `cdn.example.com`")
    if "*" in entry:
        bare = entry.replace("*.", "").replace("*", "").strip(".")
        if "." not in bare:
            return HostError("contains a wildcard", "write the vendor's own domain, such as `example.com`: it covers all its subdomains")
        return HostError(
            "contains a wildcard",
            f"write `{bare}`: a listed domain already covers all its subdomains",
        )
    if ":" in entry:
        return HostError("contains a port", f"write the host alone: `{entry.rsplit(':', 1)[0]}`")
    return None


def _host_of_url(url: str) -> str | None:
    try:
        host = urlsplit(url if "://" in url else "http:" + url).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def normalise_host(entry: str) -> str | HostError:
    lowered = entry.rstrip(".").lower()
    if _is_plain_ascii_host(lowered):
        return lowered
    try:
        # UTS #46 mapping first, so that full-width dots and capitals become
        # what a browser would request before the host is checked.
        host = idna.uts46_remap(entry, std3_rules=False, transitional=False).rstrip(".").lower()
    except (idna.IDNAError, ValueError) as error:
        return HostError(f"is not a valid domain name ({error})", "check the spelling of the host")
    if _is_ip_address(host):
        return HostError("is an IP address", "list the host name the script loads from instead")
    if "." not in host:
        return HostError(
            "is not a domain name: it has no dot",
            "write the full host name, such as `cdn.example.com`",
        )
    labels = host.split(".")
    if not all(labels):
        return HostError("starts with a dot or has two dots in a row", f"write `{'.'.join(label for label in labels if label)}`")
    stray = sorted({character for character in host if character.isascii() and not (character.isalnum() or character in ".-")})
    if stray:
        shown = ", ".join(f"`{character}`" for character in stray)
        return HostError(f"contains {shown}, which a domain name cannot contain", "use only letters, digits, hyphens and dots")
    try:
        host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        return HostError(f"is not a valid domain name ({error})", "check the spelling of the host")
    if len(host) > 253 or not all(_LABEL.match(label) for label in host.split(".")):
        return HostError(
            "is not a valid domain name",
            "use letters, digits and hyphens between the dots, such as `cdn.example.com`",
        )
    return host


def _is_plain_ascii_host(host: str) -> bool:
    """Tell whether `host` is already a normalised letters-digits-hyphens name, which IDNA leaves unchanged.

    Checking this first skips the IDNA codec, which took most of the time of
    validating and of looking hosts up. Labels with `--` in the third and
    fourth place (such as punycode `xn--`) still go through the codec.
    """
    if not host.isascii() or len(host) > 253 or "." not in host or _is_ip_address(host):
        return False
    return all(_LABEL.match(label) and label[2:4] != "--" for label in host.split("."))


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_public_suffix(host: str) -> bool:
    return public_suffix_list().is_public(host)


def parent_domains(host: str) -> list[str]:
    """Return `host` and each domain above it, most specific first.

    >>> parent_domains("a.b.example")
    ['a.b.example', 'b.example', 'example']
    """
    labels = host.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]


def host_from_url_or_host(text: str) -> str | None:
    """Extract and normalise the host of a URL, or of a bare host name.

    >>> host_from_url_or_host("https://CDN.px.example:8443/t.js?x=1")
    'cdn.px.example'
    """
    entry = text.strip()
    if not entry:
        return None
    if "://" in entry or entry.startswith("//"):
        entry = _host_of_url(entry) or ""
    else:
        entry = re.split(r"[/?#]", entry, maxsplit=1)[0]
        if entry.count(":") == 1:
            entry = entry.split(":")[0]
    if not entry:
        return None
    host = entry.rstrip(".").lower()
    if _is_plain_ascii_host(host):
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None
