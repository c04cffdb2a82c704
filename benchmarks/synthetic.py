"""Synthetic catalogues of any size, for benchmarks.

The vendors are fictional (domains under `.example`) but shaped like real
records: every section filled, a few domains and cookies each, prose of a
realistic length. The same size always gives the same files.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
VOCABULARIES = ("categories.yaml", "industries.yaml", "data-kinds.yaml")
ORGANIZATIONS = 50

_WORDS = (
    "visitor page script cookie consent session identifier analytics campaign conversion form click "
    "report dashboard audience segment event browser device profile pixel tag network partner measure"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def vendor_record(index: int, rng: random.Random) -> dict:
    vendor_id = f"vendor-{index:05d}"
    categories = rng.choice([["analytics"], ["marketing"], ["marketing", "analytics"], ["functional"], ["necessary"]])
    block = categories != ["necessary"]
    return {
        "id": vendor_id,
        "name": f"Vendor {index:05d}",
        "organization": f"organization-{index % ORGANIZATIONS:03d}",
        "aliases": [f"Tracker {index:05d}"],
        "industries": [rng.choice(["analytics", "advertising", "crm", "customer-support"])],
        "website": f"https://{vendor_id}.example/",
        "privacy_policy": f"https://{vendor_id}.example/privacy",
        "summary": sentence(rng, 20),
        "overview": paragraph(rng, 3),
        "behaviour": paragraph(rng, 4),
        "compliance": paragraph(rng, 3),
        "categories": list(categories),
        "verdict": {"block": block, "reason": sentence(rng, 18)},
        "data_collected": ["page-views", "clicks", "ip-address"],
        "domains": [{"host": f"{label}.{vendor_id}.example", "categories": list(categories)} for label in ("cdn", "collect")],
        "cookies": [
            {"name": f"_v{index}_{suffix}", "duration": rng.choice(["session", "P1Y", "P13M", "PT30M"]),
             "party": "first", "category": categories[0], "description": sentence(rng, 12)}
            for suffix in ("id", "s")
        ],
        "faq": [{"question": sentence(rng, 8)[:-1] + "?", "answer": paragraph(rng, 2)} for _ in range(3)],
        "related": [f"vendor-{(index + 1) % 10**9:05d}"],
        "sources": [{"title": f"Vendor {index:05d} documentation", "url": f"https://{vendor_id}.example/docs"}],
        "last_reviewed": "2026-12-01",
    }


def write_catalogue(target: Path, vendors: int, seed: int = 7) -> Path:
    """Write a data folder of `vendors` synthetic vendors into `target` and return it."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "vendors").mkdir(parents=True)
    (target / "organizations").mkdir()
    for name in VOCABULARIES:
        shutil.copy(REPOSITORY / "data" / name, target / name)
    for index in range(ORGANIZATIONS):
        organization = {
            "id": f"organization-{index:03d}", "name": f"Organization {index:03d}", "country": "US",
            "website": f"https://organization-{index:03d}.example/",
            "privacy_policy": f"https://organization-{index:03d}.example/privacy",
        }
        (target / "organizations" / f"organization-{index:03d}.yaml").write_text(yaml.safe_dump(organization, sort_keys=False))
    for index in range(vendors):
        record = vendor_record(index, rng)
        if index == vendors - 1:
            record["related"] = ["vendor-00000"]
        (target / "vendors" / f"{record['id']}.yaml").write_text(
            yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=78)
        )
    return target
