"""A new vendor record from the template: `python -m generator new "Vendor Name" [--id ID]`.

The first step of adding a vendor. It writes `data/vendors/<id>.yaml` from
`generator/templates/vendor.yaml` with only `id` and `name` filled in. Every
other required value is left empty, so validation rejects the record, with
one "is empty" message per value, until the contributor has filled it in.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import unicodedata
from importlib import resources
from pathlib import Path

import yaml

from generator.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, command
from generator.loading import load_file
from generator.problems import Problem, display_path

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 64
"""The schema's limit on ids (`$defs/slug` in vendor.schema.json)."""

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_NOT_ID_CHARACTERS = re.compile(r"[^a-z0-9]+")
# Latin letters that Unicode does not decompose into a base letter and an accent.
_LATIN_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def vendor_id(name: str) -> str:
    """Derive a vendor id from its name: lowercase ASCII letters and digits joined by hyphens.

    Accents are dropped and every other symbol separates words. Returns an
    empty string when nothing of the name is left, as for a name in a
    non-Latin script.

    >>> vendor_id("Crème & Co."), vendor_id("Straße Ads"), vendor_id("Яндекс")
    ('creme-co', 'strasse-ads', '')
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_LATIN_LETTERS))
    ascii_only = "".join(character for character in decomposed if not unicodedata.combining(character))
    return _shorten(_NOT_ID_CHARACTERS.sub("-", ascii_only).strip("-"))


def _shorten(slug: str) -> str:
    # Cut at the last hyphen that keeps the id within the limit, so no word is cut in half.
    if len(slug) <= MAX_ID_LENGTH:
        return slug
    head = slug[:MAX_ID_LENGTH + 1]
    return head.rsplit("-", 1)[0] if "-" in head else slug[:MAX_ID_LENGTH]


def render_template(vendor_id: str, name: str) -> str:
    """Return the template with the `id:` and `name:` lines filled in.

    >>> text = render_template("acme-ads", "Acme: Ads")
    >>> [line for line in text.splitlines() if line.startswith(("id:", "name:"))]
    ['id: acme-ads', 'name: "Acme: Ads"']
    """
    template = resources.files("generator").joinpath("templates/vendor.yaml").read_text(encoding="utf-8")
    for key, value in (("id", vendor_id), ("name", _yaml_text(name))):
        template, count = re.subn(rf"^{key}:$", f"{key}: {value}", template, count=1, flags=re.MULTILINE)
        assert count == 1, f"the vendor template has no empty `{key}:` line"
    return template


def _yaml_text(text: str) -> str:
    # Plain when PyYAML, a YAML 1.1 reader and so the strictest about plain
    # text, reads it back as the same text; otherwise double-quoted.
    try:
        plain = yaml.safe_load(f"name: {text}\n")
    except yaml.YAMLError:
        plain = None
    if isinstance(plain, dict) and plain.get("name") == text and text == text.strip():
        return text
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10_000).rstrip("\n").removesuffix("\n...")


@command("new")
def new_command(arguments: argparse.Namespace) -> int:
    name = " ".join(arguments.name.split())
    if not name:
        print("error: the vendor name is empty: write it in quotes, such as \"Acme Analytics\"", file=sys.stderr)
        return EXIT_USAGE
    record_id = arguments.id if arguments.id is not None else vendor_id(name)
    if not record_id:
        print(f"error: no id can be derived from the name \"{name}\": pass one with --id, such as --id acme-analytics",
              file=sys.stderr)
        return EXIT_USAGE
    if not _ID.match(record_id) or len(record_id) > MAX_ID_LENGTH:
        print(f"error: `{record_id}` is not a valid id: use lowercase letters a-z, digits and single hyphens, "
              f"at most {MAX_ID_LENGTH} characters, such as --id acme-analytics", file=sys.stderr)
        return EXIT_USAGE

    folder = arguments.data / "vendors"
    if not folder.is_dir():
        print(f"error: the folder {display_path(folder)} is missing: run the command from the repository root, or pass --data",
              file=sys.stderr)
        return EXIT_USAGE
    existing = _existing_record(folder, record_id, name)
    if existing:
        print(f"error: {existing}", file=sys.stderr)
        return EXIT_DATA

    path = folder / f"{record_id}.yaml"
    path.write_text(render_template(record_id, name), encoding="utf-8")
    log.info("wrote %s", path)
    print(f"Created {display_path(path)}. Fill in every empty value, then check the record with:\n"
          f"  python -m generator validate {display_path(path)}")
    return EXIT_OK


def _existing_record(folder: Path, record_id: str, name: str) -> str | None:
    """Explain why a record with this id or name already exists, or return None."""
    for path in sorted(folder.glob("*.yaml")):
        if path.stem.casefold() == record_id:
            return (f"{display_path(path)} already exists: to correct that vendor, edit that file; "
                    f"to add a different vendor, choose another id with --id")
    name_key = name.casefold()
    for path in sorted(folder.glob("*.yaml")):
        if name_key in _names_of(path):
            return (f"the vendor \"{name}\" is already in {display_path(path)} (as its name or an alias): "
                    f"to correct that vendor, edit that file; if it is a different vendor with the same name, "
                    f"make the name distinct, such as \"{name} (Company)\"")
    return None


def _names_of(path: Path) -> set[str]:
    # A record that does not load is reported by validation; here it names nothing.
    ignored: list[Problem] = []
    document = load_file(path, ignored)
    data = document.data if document is not None else None
    if not isinstance(data, dict):
        return set()
    names = [data.get("name"), *(data.get("aliases") if isinstance(data.get("aliases"), list) else [])]
    return {item.casefold() for item in names if isinstance(item, str)}
