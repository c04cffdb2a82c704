"""Host names: what a contributor may write in `domains`, and what to write instead."""

from __future__ import annotations

import pytest

from generator.domains import HostError, host_from_url_or_host, is_public_suffix, parent_domains, parse_host


@pytest.mark.parametrize(
    ("entry", "host"),
    [
        ("px.example", "px.example"),
        ("CDN.Example.COM.", "cdn.example.com"),
        ("  px.example  ", "px.example"),
        ("b\u00fccher.example", "xn--bcher-kva.example"),
        ("px\u3002example", "px.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ],
)
def test_parse_host_normalises(entry: str, host: str) -> None:
    assert parse_host(entry) == host


@pytest.mark.parametrize(
    ("entry", "message", "hint"),
    [
        ("https://px.example/collect?id=1", "is a URL, not a host name", "write the host alone: `px.example`"),
        ("//px.example/t.js", "is a URL, not a host name", "write the host alone: `px.example`"),
        ("*.cdn.example", "contains a wildcard", "write `cdn.example`: a listed domain already covers all its subdomains"),
        ("*", "contains a wildcard", "write the vendor's own domain, such as `example.com`: it covers all its subdomains"),
        ("a,b.example", "contains a comma", "write each domain as its own entry: `a`, `b.example`"),
        ("a.example b.example", "contains a space", "write each domain as its own entry: `a.example`, `b.example`"),
        ("ttps", "is not a domain name: it has no dot", "write the full host name, such as `cdn.example.com`"),
        ("px.example:8443", "contains a port", "write the host alone: `px.example`"),
        ("px.example:8443/t.js", "contains a path", "write the host alone: `px.example`"),
        ("px.example?v=2", "contains a query", "write the host alone: `px.example`"),
        ("127.0.0.1", "is an IP address", "list the host name the script loads from instead"),
        ("[::1]", "is an IP address", "list the host name the script loads from instead"),
        ("px..example", "starts with a dot or has two dots in a row", "write `px.example`"),
        ("px_1.example", "contains `_`, which a domain name cannot contain", "use only letters, digits, hyphens and dots"),
        ("", "is empty", "write a host name such as `cdn.example.com`"),
    ],
)
def test_parse_host_explains_what_to_write(entry: str, message: str, hint: str) -> None:
    assert parse_host(entry) == HostError(message, hint)


@pytest.mark.parametrize("host", ["github.io", "cloudfront.net", "co.uk", "com", "herokuapp.com"])
def test_public_suffixes_include_private_section(host: str) -> None:
    assert is_public_suffix(host)


@pytest.mark.parametrize("host", ["d1234.cloudfront.net", "acme.github.io", "px.example.com"])
def test_hosts_under_public_suffix_are_not_suffixes(host: str) -> None:
    assert not is_public_suffix(host)


def test_parent_domains_most_specific_first() -> None:
    assert parent_domains("a.b.example") == ["a.b.example", "b.example", "example"]


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("https://CDN.px.example:8443/t.js?x=1", "cdn.px.example"),
        ("px.example/t.js", "px.example"),
        ("px.example:443", "px.example"),
        ("", None),
        ("https://", None),
    ],
)
def test_host_from_url_or_host(text: str, host: str | None) -> None:
    assert host_from_url_or_host(text) == host
