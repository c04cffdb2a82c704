"""The compiled fast path accepts exactly what jsonschema accepts, so it can never hide an error."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.loading import load_file
from generator.schema import _is_valid_fast, _validator, load_schema

REPOSITORY = Path(__file__).resolve().parent.parent
VENDOR_KEYS = sorted(load_schema("vendor")["properties"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5),
    st.sampled_from(["", " ", "x", "analytics", "necessary", "P13M", "session", "2026-12-04", "2026-13-45",
                     "https://px.example/", "https://bea con.example/", "ftp://x.example", "first", "prefix",
                     "Acme", "a\nb", "Acme-1", "px.example", "*.px.example"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(VENDOR_KEYS + ["host", "categories", "name", "duration", "party",
                                                       "category", "question", "answer", "title", "url", "block",
                                                       "reason", "match", "description"]), children, max_size=5),
    ),
    max_leaves=25,
)


def agrees(kind: str, data: object) -> bool:
    return _is_valid_fast(kind, data) == (not any(True for _ in _validator(kind).iter_errors(data)))


def test_fast_path_agrees_on_every_real_and_fixture_record() -> None:
    for folder, kind in (("vendors", "vendor"), ("organizations", "organization")):
        for root in (REPOSITORY / "data", REPOSITORY / "tests/fixtures/catalogue"):
            for path in sorted((root / folder).glob("*.yaml")):
                document = load_file(path, [])
                assert document is not None and agrees(kind, document.data), path


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(VENDOR_KEYS), VALUES, max_size=8))
def test_fast_path_agrees_on_random_vendor_shapes(data: dict) -> None:
    assert agrees("vendor", data)


@settings(max_examples=100, deadline=None)
@given(VALUES)
def test_fast_path_agrees_on_random_values(data: object) -> None:
    assert agrees("vendor", data)
    assert agrees("organization", data)


FRESHSALES = load_file(REPOSITORY / "data/vendors/freshsales.yaml", []).data


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VENDOR_KEYS), VALUES)
def test_fast_path_agrees_on_real_record_with_one_field_changed(key: str, value: object) -> None:
    assert agrees("vendor", {**FRESHSALES, key: value})
