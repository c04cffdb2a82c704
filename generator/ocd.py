"""Cookie facts from the Open Cookie Database: `python -m generator import-ocd CSV [--apply]`.

The Open Cookie Database (Apache-2.0, github.com/jkwakman/Open-Cookie-Database)
lists cookies per platform with free-text retention and domain columns. This
module reads its CSV, keeps the rows of platforms that `data/ocd-platforms.yaml`
maps to our vendors, turns each row into the facts of a cookie entry
(name, match, duration, party, category; never the description), and compares
them with the vendor records. Without `--apply` it prints what would change;
with it, it appends the new cookies to the records in the canonical layout of
`generator.formatting` and credits the source. A value a contributor wrote is
never replaced: a difference is reported as a conflict.

Free-text values are read by fixed rules, and a value no rule covers is listed
as not understood, never guessed:

- Retention: "session" and its spellings, "persistent" and words for no expiry,
  and "<number> <unit>" (also with "after last activity", "from set/ update" or
  "by default, modifiable", which describe when the period starts or that the
  site can change it). A calendar date is an expiry date of one observed
  cookie, not a duration, so it is listed as not understood.
- Domain: empty means the site's own domain (first party); "(3rd party)" means
  third party; a bare host leaves the party unstated, unless the mapping entry
  says which party such rows are.

The mapping can also give a cookie our own category (`category:`), where the
database files it under one that the vendor's record contradicts, for example
a consent manager's consent cookie that the database calls functional.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import logging
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from generator.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, command
from generator.formatting import FormatError, format_data, write_atomically
from generator.loading import Document, load_file
from generator.problems import Problem, display_path, has_errors, render_report
from generator.schema import check_document

log = logging.getLogger(__name__)

MAPPING_FILE = "ocd-platforms.yaml"
SOURCE = {"title": "Open Cookie Database (Apache-2.0)", "url": "https://github.com/jkwakman/Open-Cookie-Database"}

COLUMNS = {
    "platform": "Platform",
    "category": "Category",
    "name": "Cookie / Data Key name",
    "domain": "Domain",
    "retention": "Retention period",
    "wildcard": "Wildcard match",
}

CATEGORIES = {
    "Functional": "functional",
    "Personalization": "functional",
    "Marketing": "marketing",
    "Analytics": "analytics",
    "Security": "necessary",
    "Necessary": "necessary",
}
"""The database's categories and the consent category each one files under."""

_SESSION_WORDS = {"session", "sessions", "session cookie", "end of session (browser)"}
# localStorage has no expiry: it stays until the site or the visitor clears it.
_PERSISTENT_WORDS = {"persistent", "permanent", "forever", "unlimited", "no expiration", "local storage"}
_UNITS = {
    "second": "S", "seconds": "S", "sec": "S", "secs": "S",
    "minute": "M", "minutes": "M", "min": "M", "mins": "M",
    "hour": "H", "hours": "H",
    "day": "D", "days": "D",
    "week": "W", "weeks": "W",
    "month": "M", "months": "M",
    "year": "Y", "years": "Y",
}
_TIME_UNITS = {"S", "H"}
_PERIOD = re.compile(
    r"(?P<number>[0-9]+) (?P<unit>[a-z]+)( after last activity| from set/ ?update| by default, modifiable)?"
)
_CALENDAR_DATE = re.compile(
    r"[0-9]{1,2} [a-z]{3,9}\.? [0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{4}"
)
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_THIRD_PARTY = "(3rd party)"
_COOKIE_NAME = re.compile(r"[^\s;,=]+")


# Reading free-text values ---------------------------------------------------


def parse_retention(text: str) -> str | None:
    """Return the duration a retention value states, or None when no rule reads it.

    >>> [parse_retention(text) for text in ("Session", "13 months", "30 mins", "2 years after last activity", "Varies")]
    ['session', 'P13M', 'PT30M', 'P2Y', None]
    """
    value = " ".join(text.split()).lower()
    if value in _SESSION_WORDS:
        return "session"
    if value in _PERSISTENT_WORDS:
        return "persistent"
    match = _PERIOD.fullmatch(value)
    if not match or match["unit"] not in _UNITS or int(match["number"]) == 0:
        return None
    number, unit = int(match["number"]), _UNITS[match["unit"]]
    is_time = unit in _TIME_UNITS or (unit == "M" and match["unit"].startswith("min"))
    return f"PT{number}{unit}" if is_time else f"P{number}{unit}"


def retention_problem(text: str) -> str:
    """Return why a retention value is not read, for the list of values not understood."""
    value = " ".join(text.split()).lower()
    if not value:
        return "empty"
    if _CALENDAR_DATE.fullmatch(value):
        return "a calendar date: the expiry of one observed cookie, not a duration"
    if _PERIOD.fullmatch(value) and value.startswith("0 "):
        return "a period of zero"
    return "not one duration"


@dataclass(frozen=True)
class Domain:
    """The content of a Domain cell: the hosts it names, and the party when it states one."""

    hosts: tuple[str, ...]
    party: str | None


def parse_domain(text: str) -> Domain | None:
    """Return the hosts and party of a Domain cell, or None when it cannot be read.

    >>> parse_domain("cookiebot.com (3rd party)"), parse_domain(""), parse_domain(".taboola.com")
    (Domain(hosts=('cookiebot.com',), party='third'), Domain(hosts=(), party='first'), Domain(hosts=('taboola.com',), party=None))
    """
    cleaned = "".join(character for character in text if unicodedata.category(character) != "Cf").strip()
    if not cleaned:
        return Domain((), "first")
    hosts: list[str] = []
    third = []
    for alternative in cleaned.split(" or "):
        part = alternative.strip()
        is_third = part.lower().endswith(_THIRD_PARTY)
        host = part[: -len(_THIRD_PARTY)].strip() if is_third else part
        host = host.lower().strip(".")
        if not _HOST.fullmatch(host):
            return None
        hosts.append(host)
        third.append(is_third)
    if any(third) and not all(third):
        return None
    return Domain(tuple(hosts), "third" if all(third) else None)


# The CSV ----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of the database, with the line it starts on."""

    line: int
    platform: str
    category: str
    name: str
    domain: str
    retention: str
    wildcard: str


@dataclass(frozen=True)
class Cookie:
    """The facts of one cookie entry, as a vendor record writes them."""

    name: str
    match: str
    duration: str
    party: str | None
    category: str
    hosts: tuple[str, ...]

    def entry(self) -> dict[str, str]:
        entry = {"name": self.name}
        if self.match == "prefix":
            entry["match"] = "prefix"
        entry.update(duration=self.duration, party=self.party or "", category=self.category)
        return entry


def read_csv(path: Path, problems: list[Problem]) -> list[Row]:
    """Read the database's CSV, reporting a missing column or an unreadable file."""
    shown = display_path(path)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        problems.append(Problem(shown, 1, 1, "", f"cannot be read: {error.strerror}"))
        return []
    with handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS.values() if column not in (reader.fieldnames or [])]
        if missing:
            problems.append(Problem(
                shown, 1, 1, "", f"the column{'s' if len(missing) > 1 else ''} {', '.join(repr(name) for name in missing)} "
                "is missing from the header", "use open-cookie-database.csv from the Open Cookie Database repository",
            ))
            return []
        rows = []
        line = reader.line_num + 1
        for record in reader:
            rows.append(Row(line, **{key: (record.get(column) or "") for key, column in COLUMNS.items()}))
            line = reader.line_num + 1
    return rows


@dataclass
class Readings:
    """Every row's cookie facts, and the values no rule reads, by column and value."""

    cookies: dict[int, Cookie] = field(default_factory=dict)
    not_understood: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)


def read_rows(rows: list[Row]) -> Readings:
    """Read the free-text columns of every row; a row with a value not understood yields no cookie."""
    readings = Readings()
    for row in rows:
        cookie = _read_row(row, readings)
        if cookie is not None:
            readings.cookies[row.line] = cookie
    return readings


def _read_row(row: Row, readings: Readings) -> Cookie | None:
    def not_understood(column: str, value: str, reason: str) -> None:
        readings.not_understood.setdefault((column, value), []).append(row.line)
        readings.reasons[(column, value)] = reason

    duration = parse_retention(row.retention)
    if duration is None:
        not_understood(COLUMNS["retention"], row.retention, retention_problem(row.retention))
    category = CATEGORIES.get(row.category.strip())
    if category is None:
        not_understood(COLUMNS["category"], row.category, "not a category of the database")
    domain = parse_domain(row.domain)
    if domain is None:
        not_understood(COLUMNS["domain"], row.domain, "not a host, or a mix of first- and third-party alternatives")
    match = {"1": "prefix", "0": "exact", "": "exact"}.get(row.wildcard.strip())
    if match is None:
        not_understood(COLUMNS["wildcard"], row.wildcard, "neither 0 nor 1")
    name = row.name.strip()
    if not _COOKIE_NAME.fullmatch(name):
        not_understood(COLUMNS["name"], row.name, "not a cookie name (empty, or holds a space, comma, semicolon or `=`)")
    if duration is None or category is None or domain is None or match is None or not _COOKIE_NAME.fullmatch(name):
        return None
    return Cookie(name, match, duration, domain.party, category, domain.hosts)


# The mapping ------------------------------------------------------------------


@dataclass(frozen=True)
class MappingEntry:
    index: int
    platform: str
    vendor: str | None
    cookies: frozenset[str] | None
    skip: frozenset[str]
    party: str | None
    not_ours: str | None
    categories: dict[str, str] = field(default_factory=dict, hash=False)
    """Our category for the named cookies, replacing the database's."""

    def takes(self, name: str) -> bool:
        if self.cookies is not None:
            return name in self.cookies
        return name not in self.skip


def load_mapping(path: Path, vendor_ids: set[str], rows: list[Row], problems: list[Problem]) -> list[MappingEntry]:
    """Load and check `data/ocd-platforms.yaml` against the catalogue's vendors and the CSV's rows."""
    if not path.is_file():
        problems.append(Problem(display_path(path), 1, 1, "", "the mapping file is missing",
                                "create it: a list of `- platform:` entries with `vendor:` or `not_ours:`"))
        return []
    document = load_file(path, problems)
    if document is None:
        return []
    found = check_document(document, "ocd-platforms")
    problems += found
    if found or not isinstance(document.data, list):
        return []
    entries = [_entry(index, item) for index, item in enumerate(document.data)]
    problems += _check_entries(document, entries, vendor_ids, rows)
    return entries


def _entry(index: int, item: dict[str, Any]) -> MappingEntry:
    cookies = item.get("cookies")
    return MappingEntry(
        index, item["platform"], item.get("vendor"), frozenset(cookies) if cookies is not None else None,
        frozenset(item.get("skip", [])), item.get("party"), item.get("not_ours"), dict(item.get("category", {})),
    )


def _check_entries(document: Document, entries: list[MappingEntry], vendor_ids: set[str], rows: list[Row]) -> list[Problem]:
    problems: list[Problem] = []
    names_by_platform: dict[str, set[str]] = {}
    for row in rows:
        names_by_platform.setdefault(row.platform, set()).add(row.name.strip())
    for entry in entries:
        problems += _check_entry(document, entry, vendor_ids, names_by_platform)
    problems += _check_repeated_platforms(document, entries)
    return problems


def _check_entry(document: Document, entry: MappingEntry, vendor_ids: set[str], names_by_platform: dict[str, set[str]]) -> list[Problem]:
    at = (entry.index,)
    problems: list[Problem] = []
    if entry.vendor is None and entry.not_ours is None:
        problems.append(document.problem(at, f"`{entry.platform}` has neither `vendor` nor `not_ours`",
                                         "add `vendor: <id>`, or `not_ours:` with the reason the platform is not ours"))
    if entry.vendor is not None and entry.not_ours is not None:
        problems.append(document.problem(at + ("not_ours",), f"`{entry.platform}` has both `vendor` and `not_ours`",
                                         "keep `vendor` if its rows are that vendor's, or `not_ours` if they are not", at_key=True))
    if entry.vendor is not None and entry.vendor not in vendor_ids:
        close = difflib.get_close_matches(entry.vendor, sorted(vendor_ids), n=1)
        hint = f"did you mean `{close[0]}`?" if close else "write the id of a file in data/vendors/"
        problems.append(document.problem(at + ("vendor",), f"the vendor `{entry.vendor}` is not in the catalogue (no data/vendors/{entry.vendor}.yaml)", hint))
    if entry.cookies is not None and entry.skip:
        problems.append(document.problem(at + ("skip",), "`cookies` and `skip` are both given",
                                         "keep `cookies` (the names to take) or `skip` (the names to leave out)", at_key=True))
    if entry.not_ours is not None and (entry.cookies is not None or entry.skip or entry.party or entry.categories):
        problems.append(document.problem(at + ("not_ours",), "a platform marked `not_ours` takes no cookies",
                                         "remove `cookies`, `skip`, `party` and `category`, or replace `not_ours` with `vendor`", at_key=True))
    known = names_by_platform.get(entry.platform)
    if known is None:
        close = difflib.get_close_matches(entry.platform, sorted(names_by_platform), n=1)
        hint = f"did you mean `{close[0]}`?" if close else "copy the name from the Platform column"
        problems.append(document.problem(at + ("platform",), f"no row of the CSV has the platform `{entry.platform}`", hint))
        return problems
    for key, names in (("cookies", entry.cookies or frozenset()), ("skip", entry.skip)):
        for name in sorted(names - known):
            problems.append(document.problem(at + (key,), f"`{entry.platform}` has no row for the cookie `{name}`",
                                             "copy the name from the Cookie / Data Key name column"))
    for name in entry.categories:
        if name not in known:
            problems.append(document.problem(at + ("category", name), f"`{entry.platform}` has no row for the cookie `{name}`",
                                             "copy the name from the Cookie / Data Key name column", at_key=True))
        elif not entry.takes(name):
            problems.append(document.problem(at + ("category", name), f"the cookie `{name}` is given a category but the entry does not take it",
                                             "remove it from `category`, or take the cookie", at_key=True))
    return problems


def _check_repeated_platforms(document: Document, entries: list[MappingEntry]) -> list[Problem]:
    # A platform whose rows belong to several vendors is listed once per vendor,
    # each entry naming the cookies it takes, so that no row goes to two vendors.
    problems: list[Problem] = []
    by_platform: dict[str, list[MappingEntry]] = {}
    for entry in entries:
        by_platform.setdefault(entry.platform, []).append(entry)
    for platform, group in by_platform.items():
        if len(group) < 2:
            continue
        first_line = document.position((group[0].index,))[0]
        taken: dict[str, int] = {}
        for entry in group[1:]:
            line = document.position((entry.index,))[0]
            if any(item.cookies is None for item in (group[0], entry)):
                problems.append(document.problem((entry.index, "platform"), f"`{platform}` is listed twice, at lines {first_line} and {line}",
                                                 "give each entry a `cookies:` list of the names it takes, or merge the entries"))
        for entry in group:
            for name in sorted(entry.cookies or ()):
                if name in taken:
                    problems.append(document.problem((entry.index, "cookies"), f"the cookie `{name}` of `{platform}` is taken by two entries",
                                                     f"keep it in one of them (the other is at line {taken[name]})"))
                taken.setdefault(name, document.position((entry.index,))[0])
    return problems


# Comparing with the records ------------------------------------------------


@dataclass
class VendorChanges:
    """The cookies the database adds to one vendor record, and the facts where the two differ."""

    vendor: str
    path: Path
    new: list[Cookie] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    party_unknown: list[Cookie] = field(default_factory=list)
    outside_categories: list[Cookie] = field(default_factory=list)
    """New cookies whose category needs a consent the vendor is not filed under."""
    other_hosts: set[str] = field(default_factory=set)
    needs_source: bool = False

    @property
    def changes_record(self) -> bool:
        return bool(self.new)


@dataclass
class Import:
    """The outcome of reading the database against the mapping and the records."""

    rows: list[Row]
    readings: Readings
    vendors: dict[str, VendorChanges] = field(default_factory=dict)
    used: int = 0
    not_ours: int = 0
    left_out: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)


def compare(rows: list[Row], readings: Readings, mapping: list[MappingEntry], records: dict[str, Document]) -> Import:
    """Match every row to its vendor through the mapping and compare it with the vendor's record."""
    result = Import(rows, readings)
    entries_by_platform: dict[str, list[MappingEntry]] = {}
    for entry in mapping:
        entries_by_platform.setdefault(entry.platform, []).append(entry)
    seen: dict[str, set[str]] = {}
    for row in rows:
        entries = entries_by_platform.get(row.platform)
        if not entries:
            result.unmapped[row.platform] += 1
            continue
        if entries[0].not_ours is not None:
            result.not_ours += 1
            continue
        entry = next((item for item in entries if item.takes(row.name.strip())), None)
        if entry is None or entry.vendor not in records:
            result.left_out += 1
            continue
        result.used += 1
        cookie = readings.cookies.get(row.line)
        if cookie is None or cookie.name in seen.setdefault(entry.vendor, set()):
            continue
        seen[entry.vendor].add(cookie.name)
        if cookie.party is None and entry.party is not None and cookie.hosts:
            cookie = replace(cookie, party=entry.party)
        if cookie.name in entry.categories:
            cookie = replace(cookie, category=entry.categories[cookie.name])
        changes = result.vendors.setdefault(entry.vendor, VendorChanges(entry.vendor, records[entry.vendor].path))
        _compare_cookie(cookie, records[entry.vendor].data, changes)
    for vendor, changes in result.vendors.items():
        sources = records[vendor].data.get("sources") or []
        changes.needs_source = changes.changes_record and not any(
            isinstance(source, dict) and source.get("url") == SOURCE["url"] for source in sources
        )
    return result


def _compare_cookie(cookie: Cookie, record: dict[str, Any], changes: VendorChanges) -> None:
    listed = {item.get("name"): item for item in record.get("cookies") or [] if isinstance(item, dict)}
    domains = [item if isinstance(item, str) else item.get("host", "") for item in record.get("domains") or []]
    for host in cookie.hosts:
        if not any(host == domain or host.endswith("." + domain) for domain in domains if isinstance(domain, str)):
            changes.other_hosts.add(host)
    existing = listed.get(cookie.name)
    if existing is None:
        vendor_categories = record.get("categories") or []
        if not cookie.party:
            changes.party_unknown.append(cookie)
        elif cookie.category != "necessary" and cookie.category not in vendor_categories:
            changes.outside_categories.append(cookie)
        else:
            changes.new.append(cookie)
        return
    ours = {"match": existing.get("match", "exact"), "duration": existing.get("duration"),
            "party": existing.get("party"), "category": existing.get("category")}
    theirs = {"match": cookie.match, "duration": cookie.duration, "party": cookie.party, "category": cookie.category}
    for key in ours:
        if key == "duration" and _same_length(ours[key], theirs[key]):
            continue
        if theirs[key] is not None and ours[key] != theirs[key]:
            changes.differences.append(
                f"{cookie.name}: {key} {ours[key]} in the record, {theirs[key]} in the Open Cookie Database (record kept)"
            )


_ISO_PART = re.compile(r"([0-9]+)([YMWDHS])")
_SECONDS = {"W": 7 * 86400, "D": 86400, "H": 3600, "M": 60, "S": 1}


def _same_length(ours: Any, theirs: str) -> bool:
    """Tell whether two ISO 8601 durations are the same length in other units (P1D and PT24H, P12M and P1Y)."""
    if not isinstance(ours, str) or not ours.startswith("P") or not theirs.startswith("P"):
        return False
    return _exact_length(ours) == _exact_length(theirs)


def _exact_length(duration: str) -> tuple[int, int]:
    # Months and years vary in days, so they are counted apart from the rest.
    date_part, _, time_part = duration[1:].partition("T")
    months = seconds = 0
    for number, unit in _ISO_PART.findall(date_part):
        if unit in "YM":
            months += int(number) * (12 if unit == "Y" else 1)
        else:
            seconds += int(number) * _SECONDS[unit]
    for number, unit in _ISO_PART.findall(time_part):
        seconds += int(number) * _SECONDS[unit]
    return months, seconds


# The report ------------------------------------------------------------------


def render(result: Import, applied: bool) -> str:
    """Write the per-vendor changes and the summary as plain text lines."""
    lines: list[str] = []
    for vendor in sorted(result.vendors):
        lines += _vendor_lines(result.vendors[vendor], applied)
    lines += _summary_lines(result, applied)
    return "\n".join(lines)


def _vendor_lines(changes: VendorChanges, applied: bool) -> list[str]:
    if not (changes.new or changes.differences or changes.party_unknown or changes.outside_categories or changes.other_hosts):
        return []
    lines = [f"{changes.vendor} ({display_path(changes.path)})"]
    verb = "added" if applied else "new"
    for cookie in changes.new:
        prefix = " (prefix)" if cookie.match == "prefix" else ""
        lines.append(f"  + {verb} cookie {cookie.name}{prefix}: {cookie.duration}, {cookie.party} party, {cookie.category}")
    if changes.needs_source:
        lines.append(f"  + {'added' if applied else 'new'} source: {SOURCE['title']}")
    for difference in changes.differences:
        lines.append(f"  ! {difference}")
    for cookie in changes.party_unknown:
        lines.append(f"  ? not added {cookie.name}: the domain {', '.join(cookie.hosts)} does not say which party sets it "
                     "(set `party:` on the mapping entry, or add the cookie by hand)")
    for cookie in changes.outside_categories:
        lines.append(f"  ? not added {cookie.name}: its category {cookie.category} is not one of the vendor's categories "
                     "(set `category:` for it on the mapping entry, or add the category to the record)")
    if changes.other_hosts:
        lines.append(f"  ? hosts not among the record's domains: {', '.join(sorted(changes.other_hosts))} (not added)")
    return lines


def _summary_lines(result: Import, applied: bool) -> list[str]:
    new = sum(len(changes.new) for changes in result.vendors.values())
    touched = sum(1 for changes in result.vendors.values() if changes.new)
    conflicts = sum(len(changes.differences) for changes in result.vendors.values())
    lines = [
        "Summary",
        f"  rows: {len(result.rows)}",
        f"  rows used for catalogue vendors: {result.used}",
        f"  rows of platforms marked not ours: {result.not_ours}",
        f"  rows the mapping leaves out: {result.left_out}",
        f"  rows of unmapped platforms: {sum(result.unmapped.values())}",
        f"  {'cookies added' if applied else 'new cookies'}: {new} in {touched} record{'s' if touched != 1 else ''}",
        f"  differences with the records (records kept): {conflicts}",
    ]
    if result.unmapped:
        lines.append(f"Unmapped platforms ({len(result.unmapped)}, most rows first):")
        ordered = sorted(result.unmapped.items(), key=lambda item: (-item[1], item[0]))
        lines += [f"  {platform or '(empty)'}: {count} row{'s' if count != 1 else ''}" for platform, count in ordered]
    if result.readings.not_understood:
        lines.append(f"Values not understood ({len(result.readings.not_understood)}):")
        ordered_values = sorted(result.readings.not_understood.items(), key=lambda item: (item[0][0], -len(item[1]), item[0][1]))
        for (column, value), lines_of_rows in ordered_values:
            reason = result.readings.reasons[(column, value)]
            count = len(lines_of_rows)
            lines.append(f"  {column} {value!r}: {reason} ({count} row{'s' if count != 1 else ''}, first at line {lines_of_rows[0]})")
    return lines


# Applying ----------------------------------------------------------------------


def apply(result: Import, records: dict[str, Document], problems: list[Problem]) -> list[Path]:
    """Append the new cookies (and the source) to the records; return the files written."""
    written = []
    for vendor in sorted(result.vendors):
        changes = result.vendors[vendor]
        if not changes.changes_record:
            continue
        document = records[vendor]
        data = _with_new_facts(document.data, changes)
        try:
            text = format_data(data, document.path.read_text(encoding="utf-8"), document.path)
        except FormatError as error:
            problems.append(Problem(document.display_path, 1, 1, "", str(error), "the record is left as it is; please report this as a bug"))
            continue
        write_atomically(document.path, text)
        written.append(document.path)
    return written


def _with_new_facts(record: dict[str, Any], changes: VendorChanges) -> dict[str, Any]:
    data = dict(record)
    data["cookies"] = list(data.get("cookies") or []) + [cookie.entry() for cookie in changes.new]
    if changes.needs_source:
        data["sources"] = list(data.get("sources") or []) + [dict(SOURCE)]
    return data


# The command -----------------------------------------------------------------


def load_records(vendors_dir: Path, vendor_ids: Iterable[str], problems: list[Problem]) -> dict[str, Document]:
    """Load the records of the mapped vendors; a record that does not load is reported and left out."""
    records = {}
    for vendor in sorted(set(vendor_ids)):
        path = vendors_dir / f"{vendor}.yaml"
        found: list[Problem] = []
        document = load_file(path, found) if path.is_file() else None
        problems += found
        if document is not None and not found and isinstance(document.data, dict):
            records[vendor] = document
    return records


@command("import-ocd")
def import_ocd_command(arguments: argparse.Namespace) -> int:
    if not arguments.csv.is_file():
        print(f"error: no such file: {arguments.csv}", file=sys.stderr)
        return EXIT_USAGE
    problems: list[Problem] = []
    rows = read_csv(arguments.csv, problems)
    vendors_dir = arguments.data / "vendors"
    vendor_ids = {path.stem for path in vendors_dir.glob("*.yaml")}
    mapping = load_mapping(arguments.data / MAPPING_FILE, vendor_ids, rows, problems) if rows else []
    if has_errors(problems):
        print(render_report(problems, "text"), file=sys.stderr)
        return EXIT_DATA

    records = load_records(vendors_dir, (entry.vendor for entry in mapping if entry.vendor), problems)
    result = compare(rows, read_rows(rows), mapping, records)
    if arguments.apply:
        written = apply(result, records, problems)
        log.info("wrote %d records", len(written))
    print(render(result, applied=arguments.apply))
    if problems:
        print(render_report(problems, "text"), file=sys.stderr)
    return EXIT_DATA if has_errors(problems) else EXIT_OK
