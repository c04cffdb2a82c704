"""The domain lookup: which vendor does a script URL or host belong to?

A view of the `Catalogue` like the pages and exports: it reads
`Catalogue.domain_index` and never the YAML. A listed domain covers its
subdomains, so a host is looked up as itself and then as each domain
above it, and the first listed one (the most specific) wins.
`python -m generator lookup URL_OR_HOST` prints the match.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
from dataclasses import dataclass
from typing import Any

from generator.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, command, run_validation
from generator.domains import host_from_url_or_host, parent_domains
from generator.model import Catalogue, Record


class InvalidTarget(ValueError):
    """The text to look up is neither a URL nor a host name."""


@dataclass(frozen=True)
class Match:
    """The vendor that lists the domain covering a host."""

    host: str
    """The host looked up, normalised: lowercase, no trailing dot, IDN as punycode."""
    domain: str
    """The listed domain that covers `host`: the host itself or a domain above it."""
    vendor: Record
    categories: tuple[str, ...]
    """The consent categories of `domain`."""
    requires_consent: bool
    """True when at least one of `categories` requires consent."""

    def as_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "domain": self.domain,
            "vendor": self.vendor["id"],
            "vendor_name": self.vendor["name"],
            "organization": self.vendor["organization"],
            "categories": list(self.categories),
            "requires_consent": self.requires_consent,
            "verdict": self.vendor["verdict"],
        }


def lookup(catalogue: Catalogue, url_or_host: str) -> Match | None:
    """Find the vendor whose most specific listed domain covers the host of `url_or_host`.

    Returns None when no listed domain covers the host, and raises
    `InvalidTarget` when the text is neither a URL nor a host name.

    >>> lookup(catalogue, "https://CDN.px.acme.example:8443/t.js?x=1").domain
    'px.acme.example'
    >>> lookup(catalogue, "notpx.acme.example") is None
    True
    """
    host = target_host(url_or_host)
    if _is_ip_address(host):
        return None
    index = catalogue.domain_index
    for domain in parent_domains(host):
        listed = index.get(domain)
        if listed is not None:
            vendor_id, categories = listed
            requires_consent = any(catalogue.categories[category]["requires_consent"] for category in categories)
            return Match(host, domain, catalogue.vendors[vendor_id], categories, requires_consent)
    return None


def target_host(url_or_host: str) -> str:
    """Return the normalised host of a URL or host name, or raise `InvalidTarget`.

    >>> target_host("CDN.PX.EXAMPLE.")
    'cdn.px.example'
    """
    host = host_from_url_or_host(url_or_host)
    if host is None or not (_is_ip_address(host) or "." in host):
        # A single label such as `mailto` or `localhost` is no domain any vendor could list.
        raise InvalidTarget(f"{url_or_host!r} is not a URL or a host name")
    return host


def _is_ip_address(host: str) -> bool:
    # An IPv4 address ends in a digit and an IPv6 address contains a colon, so other hosts skip the slower parse.
    if ":" not in host and not host[-1].isdigit():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def describe(catalogue: Catalogue, match: Match) -> str:
    """Write a match as the lines `python -m generator lookup` prints."""
    vendor = match.vendor
    organization = catalogue.organizations[vendor["organization"]]["name"]
    categories = ", ".join(catalogue.categories[category]["name"] for category in match.categories)
    consent = "requires consent" if match.requires_consent else "does not require consent"
    verdict = "block until the visitor consents" if vendor["verdict"]["block"] else "may load without consent"
    covered_by = "" if match.domain == match.host else f" (covered by {match.domain})"
    return "\n".join([
        f"{match.host}{covered_by}",
        f"Vendor: {vendor['name']} ({vendor['id']}), by {organization}",
        f"Consent categories: {categories} ({consent})",
        f"Verdict: {verdict}. {' '.join(vendor['verdict']['reason'].split())}",
    ])


@command("lookup")
def lookup_command(arguments: argparse.Namespace) -> int:
    try:
        host = target_host(arguments.target)
    except InvalidTarget as error:
        print(f"error: {error} (give a script URL such as https://cdn.example.com/t.js, or a host such as cdn.example.com)",
              file=sys.stderr)
        return EXIT_USAGE
    result, _ = run_validation(arguments.data)
    if result.catalogue is None:
        print("error: the lookup needs valid data; fix the problems above", file=sys.stderr)
        return EXIT_DATA

    match = lookup(result.catalogue, host)
    if arguments.json:
        print(json.dumps(match.as_json() if match else None, ensure_ascii=False, indent=2, sort_keys=True))
    elif match:
        print(describe(result.catalogue, match))
    else:
        print(f"no vendor lists {host} or a domain above it", file=sys.stderr)
    return EXIT_OK if match else EXIT_DATA
