"""Checks across records: references, uniqueness, domains, verdicts and prose.

Runs after each document passed through its schema check, on every document
that loaded, including those with schema errors, so that one run reports
everything. A document's values may therefore have the wrong types here. Each check
reads them through `_strings` and `_mappings`, which skip values of the wrong
type because the schema check has already reported them.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable, Iterator

from generator import domains as hosts
from generator.loading import Document, FieldPath
from generator.problems import Problem, Severity, format_field

PROSE_FIELDS: tuple[FieldPath, ...] = (("overview",), ("behaviour",), ("compliance",), ("verdict", "reason"))

_RAW_HTML = re.compile(r"<(?!https?://|mailto:)[A-Za-z/!?]")
_RAW_HTML_TAG = re.compile(r"<[^\s>]*>?")
# Python-Markdown's attr_list syntax, `{: .class #id key=value }`, which would let prose set HTML attributes.
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*(?:[.#][\w-]|[\w-]+[ \t]*=)[^}\n]*\}")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
# Link targets as Python-Markdown reads them: inline `[text](target)`,
# reference definitions `[label]: target`, and `<target>`.
_LINK_TARGET = re.compile(r"\]\(([^)\n]*)|^[ ]{0,3}\[[^\]\n]+\]:([^\n]*)|<([^>\s]+)>", re.MULTILINE)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_SAFE_SCHEMES = ("http", "https", "mailto")


@dataclass
class Vocabularies:
    """The ids each vocabulary defines, and which consent categories need consent.

    None stands for a vocabulary file that could not be loaded: references to
    it are then not checked, because every one of them would be reported.
    """

    categories: dict[str, bool] | None = field(default_factory=dict)
    industries: set[str] | None = field(default_factory=set)
    data_kinds: set[str] | None = field(default_factory=set)


@dataclass(frozen=True)
class DomainEntry:
    host: str
    categories: tuple[str, ...]
    document: Document
    path: FieldPath


def check_all(
    vendors: list[Document], organizations: list[Document], vocabularies: Vocabularies, unloaded: Collection[Path] = ()
) -> list[Problem]:
    """Run the checks that need more than one record, and return every problem found.

    `unloaded` are record files that could not be loaded, whose problems are
    already reported. References to their ids count as valid, so that one
    broken file does not make every record that mentions it fail too.

    >>> check_all([], [], Vocabularies())
    []
    """
    problems: list[Problem] = []
    problems += _check_ids(vendors, "vendor")
    problems += _check_ids(organizations, "organization")
    problems += _check_organizations(organizations)
    # A record whose id is missing or wrong is still found under its file name.
    vendor_ids = {_id(document) or document.path.stem for document in vendors}
    vendor_ids |= {path.stem for path in unloaded if path.parent.name != "organizations"}
    organization_ids = {_id(document) or document.path.stem for document in organizations}
    organization_ids |= {path.stem for path in unloaded if path.parent.name == "organizations"}
    for document in vendors:
        problems += _check_vendor_references(document, vendor_ids, organization_ids, vocabularies)
        problems += _check_verdict(document, vocabularies)
        problems += _check_categories_within_vendor(document, vocabularies)
        problems += _check_prose(document)
        problems += _check_unique_within(document)
    problems += _check_aliases(vendors)
    problems += _check_domains(vendors)
    if not any(path.parent.name != "organizations" for path in unloaded):
        problems += _check_unused_organizations(vendors, organizations)
    return problems


def _id(document: Document) -> str | None:
    data = document.data
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> list[tuple[int, str]]:
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, str)]


def _mappings(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _field(document: Document, key: str) -> Any:
    return document.data.get(key) if isinstance(document.data, dict) else None


def _check_ids(documents: list[Document], kind: str) -> Iterator[Problem]:
    seen: dict[str, Document] = {}
    for document in documents:
        record_id = _id(document)
        expected = document.path.stem
        if record_id is not None and record_id != expected:
            yield document.problem(
                ("id",), f"the id `{record_id}` differs from the file name `{document.path.name}`",
                f"write `id: {expected}`, or rename the file to `{record_id}.yaml`",
            )
        key = (record_id or expected).lower()
        if key in seen:
            other = seen[key]
            for here, there in ((document, other), (other, document)):
                yield here.problem(
                    ("id",), f"the {kind} id `{_id(here) or here.path.stem}` is also used by {there.display_path}",
                    "ids must be unique regardless of case: pick another id and rename the file to match",
                )
        seen.setdefault(key, document)


def _check_organizations(organizations: list[Document]) -> Iterator[Problem]:
    parents = {_id(document): _field(document, "parent") for document in organizations if _id(document)}
    for document in organizations:
        parent = _field(document, "parent")
        if not isinstance(parent, str):
            continue
        if parent not in parents:
            yield document.problem(("parent",), f"there is no organization `{parent}`",
                                   _missing_reference_hint("organization", parents, parent, f"add data/organizations/{parent}.yaml"))
            continue
        seen = {_id(document)}
        while isinstance(parent, str) and parent in parents:
            if parent in seen:
                yield document.problem(("parent",), f"the parent organizations form a loop through `{parent}`",
                                       "an organization cannot own itself, directly or through others")
                break
            seen.add(parent)
            parent = parents[parent]


def _missing_reference_hint(what: str, ids: Iterable[Any], wrong: str, otherwise: str) -> str:
    names = sorted(item for item in ids if isinstance(item, str))
    close = difflib.get_close_matches(wrong, names, n=1)
    if close:
        return f"did you mean `{close[0]}`? If not, {otherwise}"
    if len(names) <= 12:
        return f"use one of {', '.join(f'`{name}`' for name in names)}, or {otherwise}"
    return f"use the id of an existing {what}, which is its file name without .yaml, or {otherwise}"


def _check_vendor_references(
    document: Document, vendor_ids: set[str], organization_ids: set[str], vocabularies: Vocabularies
) -> Iterator[Problem]:
    organization = _field(document, "organization")
    if isinstance(organization, str) and organization not in organization_ids:
        yield document.problem(
            ("organization",), f"there is no organization `{organization}`",
            _missing_reference_hint("organization", organization_ids, organization, f"add data/organizations/{organization}.yaml"),
        )
    for index, related in _strings(_field(document, "related")):
        if related in (_id(document), document.path.stem):
            yield document.problem(("related", index), "a vendor cannot be related to itself", "remove this entry")
        elif related not in vendor_ids:
            yield document.problem(("related", index), f"there is no vendor `{related}`: no record data/vendors/{related}.yaml exists",
                                   "use the id of an existing vendor, or leave it out until that vendor's record is written")
    yield from _check_vocabulary(document, ("industries",), vocabularies.industries, "industry", "data/industries.yaml")
    yield from _check_vocabulary(document, ("data_collected",), vocabularies.data_kinds, "data kind", "data/data-kinds.yaml")
    yield from _check_vocabulary(document, ("categories",), vocabularies.categories, "consent category", "data/categories.yaml")
    for index, entry in _mappings(_field(document, "domains")):
        for position, category in _strings(entry.get("categories")):
            yield from _check_term(document, ("domains", index, "categories", position), category,
                                   vocabularies.categories, "consent category", "data/categories.yaml")
    for index, cookie in _mappings(_field(document, "cookies")):
        if isinstance(cookie.get("category"), str):
            yield from _check_term(document, ("cookies", index, "category"), cookie["category"],
                                   vocabularies.categories, "consent category", "data/categories.yaml")


def _check_vocabulary(
    document: Document, path: FieldPath, known: Iterable[str] | None, what: str, where: str
) -> Iterator[Problem]:
    for index, term in _strings(_field(document, path[0])):
        yield from _check_term(document, path + (index,), term, known, what, where)


def _check_term(
    document: Document, path: FieldPath, term: str, known: Iterable[str] | None, what: str, where: str
) -> Iterator[Problem]:
    if known is not None and term not in known:
        yield document.problem(path, f"there is no {what} `{term}`", f"use one of the ids in {where}: " + ", ".join(sorted(known)))


def _check_verdict(document: Document, vocabularies: Vocabularies) -> Iterator[Problem]:
    verdict = _field(document, "verdict")
    if not isinstance(verdict, dict) or verdict.get("block") is not False or vocabularies.categories is None:
        return
    needing_consent = [category for _, category in _strings(_field(document, "categories")) if vocabularies.categories.get(category)]
    if needing_consent:
        names = ", ".join(f"`{category}`" for category in needing_consent)
        yield document.problem(
            ("verdict", "block"), f"says the script may load without consent, but its categories {names} require consent",
            "set `block: true`, or file the vendor only under categories that do not require consent",
        )


def _check_categories_within_vendor(document: Document, vocabularies: Vocabularies) -> Iterator[Problem]:
    """Report domains and cookies filed under a consent category the vendor itself is not filed under.

    A consent manager gates a vendor's script by the vendor's categories, so
    a cookie or domain that needs another kind of consent would slip through.
    Categories that need no consent can appear anywhere.
    """
    if vocabularies.categories is None:
        return
    vendor_categories = {category for _, category in _strings(_field(document, "categories"))}
    if not vendor_categories <= set(vocabularies.categories):
        return  # an unknown category is reported already, and any comparison with it would mislead
    places: list[tuple[FieldPath, str]] = []
    for index, entry in _mappings(_field(document, "domains")):
        places += [(("domains", index, "categories", position), category) for position, category in _strings(entry.get("categories"))]
    for index, cookie in _mappings(_field(document, "cookies")):
        if isinstance(cookie.get("category"), str):
            places.append((("cookies", index, "category"), cookie["category"]))
    for path, category in places:
        if vocabularies.categories.get(category) and category not in vendor_categories:
            filed = ", ".join(f"`{name}`" for name in sorted(vendor_categories)) or "none"
            yield document.problem(
                path, f"`{category}` is not one of the vendor's own categories, which are {filed}",
                f"add `{category}` to the vendor's `categories`, or file this entry under one of them",
            )


def _check_prose(document: Document) -> Iterator[Problem]:
    for path, text in _prose_values(document):
        # Markdown shows code spans literally, so `<noscript>` there is text, not HTML.
        text = _CODE_SPAN.sub("", text)
        tag = _RAW_HTML.search(text)
        if tag:
            yield document.problem(
                path, f"contains raw HTML: `{_RAW_HTML_TAG.match(text, tag.start()).group()}`",  # type: ignore[union-attr]
                "write plain Markdown: paragraphs, *emphasis*, lists and [links](https://...)",
            )
        attributes = _ATTRIBUTE_LIST.search(text)
        if attributes:
            yield document.problem(
                path, f"contains an attribute list: `{attributes.group()}`",
                "remove it: prose takes plain Markdown, and pages set their own styles",
            )
        for scheme in _unsafe_link_schemes(text):
            yield document.problem(path, f"links to a `{scheme}:` address", "link only to https://, http:// or mailto: addresses")


def _unsafe_link_schemes(text: str) -> list[str]:
    schemes: list[str] = []
    for match in _LINK_TARGET.finditer(text):
        target = next(group for group in match.groups() if group is not None)
        # Browsers decode entities in attributes and drop whitespace and
        # control characters from a URL's scheme, so `java&#115;cript:` and
        # `java\tscript:` are both javascript: links.
        cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(target)).lower().lstrip("<")
        scheme = _SCHEME.match(cleaned)
        if scheme and scheme.group(1) not in _SAFE_SCHEMES and scheme.group(1) not in schemes:
            schemes.append(scheme.group(1))
    return schemes


def _prose_values(document: Document) -> Iterator[tuple[FieldPath, str]]:
    data = document.data if isinstance(document.data, dict) else {}
    for path in PROSE_FIELDS:
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str):
            yield path, value
    for index, entry in _mappings(data.get("faq")):
        if isinstance(entry.get("answer"), str):
            yield ("faq", index, "answer"), entry["answer"]
    for index, cookie in _mappings(data.get("cookies")):
        if isinstance(cookie.get("description"), str):
            yield ("cookies", index, "description"), cookie["description"]


def _check_unique_within(document: Document) -> Iterator[Problem]:
    for list_key, item_key, what in (("cookies", "name", "cookie"), ("faq", "question", "question"), ("sources", "url", "source")):
        first_seen: dict[str, int] = {}
        for index, entry in _mappings(_field(document, list_key)):
            value = entry.get(item_key)
            if not isinstance(value, str):
                continue
            if value in first_seen:
                line = document.position((list_key, first_seen[value]))[0]
                yield document.problem((list_key, index, item_key), f"the {what} `{value}` is listed twice, first at line {line}",
                                       "remove one of them, or merge them")
            first_seen.setdefault(value, index)


def _check_aliases(vendors: list[Document]) -> Iterator[Problem]:
    names: dict[str, Document] = {}
    for document in vendors:
        name = _field(document, "name")
        if isinstance(name, str):
            names.setdefault(name.casefold(), document)
    claimed: dict[str, tuple[Document, int]] = {}
    for document in vendors:
        own_name = _field(document, "name")
        for index, alias in _strings(_field(document, "aliases")):
            key = alias.casefold()
            if isinstance(own_name, str) and key == own_name.casefold():
                spelling = "" if alias == own_name else f" `{own_name}` apart from upper and lower case; search ignores case"
                yield document.problem(("aliases", index), f"`{alias}` is the vendor's own name{spelling}",
                                       "remove it from the aliases")
                continue
            owner = names.get(key)
            if owner is not None and owner is not document:
                yield document.problem(("aliases", index), f"`{alias}` is the name of another vendor, in {owner.display_path}",
                                       "remove the alias, or mention the relation in the overview instead")
            if key in claimed and claimed[key][0] is not document:
                other, other_index = claimed[key]
                yield document.problem(("aliases", index), f"the alias `{alias}` is also listed by {other.display_path}",
                                       "an alias must lead to one vendor: keep it in the record it describes best")
                yield other.problem(("aliases", other_index), f"the alias `{alias}` is also listed by {document.display_path}",
                                    "an alias must lead to one vendor: keep it in the record it describes best")
            claimed.setdefault(key, (document, index))


def domain_entries(document: Document) -> Iterator[DomainEntry | Problem]:
    """Normalise each entry of a vendor's `domains`, yielding entries or syntax problems."""
    vendor_categories = tuple(category for _, category in _strings(_field(document, "categories")))
    domains = _field(document, "domains")
    if not isinstance(domains, list):
        return
    for index, item in enumerate(domains):
        path: FieldPath = ("domains", index)
        if isinstance(item, dict):
            text, categories = item.get("host"), tuple(category for _, category in _strings(item.get("categories"))) or vendor_categories
            path += ("host",)
        else:
            text, categories = item, vendor_categories
        if not isinstance(text, str):
            continue
        parsed = hosts.parse_host(text)
        if isinstance(parsed, hosts.HostError):
            yield document.problem(path, f"`{text}` {parsed.message}", parsed.hint)
            continue
        if hosts.is_public_suffix(parsed):
            yield document.problem(
                path, f"`{parsed}` is a public suffix: anyone can register names under it, so it belongs to no single vendor",
                f"list the vendor's own host under it instead, such as `vendor-name.{parsed}`",
            )
            continue
        yield DomainEntry(parsed, categories, document, path)


def _check_domains(vendors: list[Document]) -> Iterator[Problem]:
    owners: dict[str, DomainEntry] = {}
    by_vendor: dict[int, list[DomainEntry]] = defaultdict(list)
    for document in vendors:
        for result in domain_entries(document):
            if isinstance(result, Problem):
                yield result
                continue
            yield from _claim(result, owners)
            by_vendor[id(document)].append(result)
    for entries in by_vendor.values():
        yield from _redundant(entries)
    yield from _nested(owners)


def _claim(entry: DomainEntry, owners: dict[str, DomainEntry]) -> Iterator[Problem]:
    owner = owners.get(entry.host)
    if owner is None:
        owners[entry.host] = entry
        return
    if owner.document is entry.document:
        line = owner.document.position(owner.path)[0]
        yield entry.document.problem(entry.path, f"`{entry.host}` is listed twice, first at line {line}", "remove this entry")
        return
    hint = "a domain belongs to one vendor: keep it where the script really loads from, and mention shared hosts in the prose"
    yield entry.document.problem(entry.path, f"`{entry.host}` is also listed by {owner.document.display_path}", hint)
    yield owner.document.problem(owner.path, f"`{entry.host}` is also listed by {entry.document.display_path}", hint)


def _redundant(entries: list[DomainEntry]) -> Iterator[Problem]:
    listed = {entry.host: entry for entry in entries}
    for entry in entries:
        for parent in hosts.parent_domains(entry.host)[1:]:
            covering = listed.get(parent)
            if covering is not None and set(covering.categories) == set(entry.categories):
                line = entry.document.position(covering.path)[0]
                yield entry.document.problem(
                    entry.path, f"`{entry.host}` is redundant: `{parent}` (line {line}) already covers its subdomains",
                    "remove this entry, or give it categories of its own if they differ",
                )
                break


def _nested(owners: dict[str, DomainEntry]) -> Iterator[Problem]:
    for host, entry in owners.items():
        for parent in hosts.parent_domains(host)[1:]:
            covering = owners.get(parent)
            if covering is not None and covering.document is not entry.document:
                yield Problem(
                    entry.document.display_path, *entry.document.position(entry.path), format_field(entry.path),
                    f"`{host}` lies under `{parent}`, listed by {covering.document.display_path}; lookups of this host find this vendor",
                    severity=Severity.NOTE,
                )
                break


def _check_unused_organizations(vendors: list[Document], organizations: list[Document]) -> Iterator[Problem]:
    named = [_field(document, "organization") for document in vendors] + [_field(document, "parent") for document in organizations]
    used = {value for value in named if isinstance(value, str)}
    for document in organizations:
        record_id = _id(document)
        if record_id and record_id not in used:
            yield document.problem(("id",), f"no vendor record names the organization `{record_id}`",
                                   f"add the vendor record with `organization: {record_id}`, or remove this file")
