"""Validation of a data folder: load every file, check it, build the catalogue.

The entry point of every command that reads data. It finds the files under
`data/`, loads each one safely, checks it against its schema, runs the checks
across records, and only when no error is left builds the `Catalogue` that
pages, exports and lookups are views of.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from generator.checks import Vocabularies, check_all
from generator.loading import Document, load_file
from generator.model import Catalogue, build_catalogue
from generator.problems import Problem, display_path, has_errors
from generator.schema import check_document

log = logging.getLogger(__name__)

VOCABULARY_FILES = {
    "categories": ("categories.yaml", "categories"),
    "industries": ("industries.yaml", "vocabulary"),
    "data_kinds": ("data-kinds.yaml", "vocabulary"),
}


@dataclass
class Result:
    """The outcome of validation: every problem, and the catalogue when there is no error."""

    problems: list[Problem] = field(default_factory=list)
    catalogue: Catalogue | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def validate(data_dir: Path, replacements: list[Path] | None = None) -> Result:
    """Validate the data folder `data_dir` as a whole.

    `replacements` are record files checked in place of the files of the same
    name in `data_dir` (or in addition to them), so that a contributor can
    check a file before moving it into the catalogue.

    >>> result = validate(Path("data"))
    >>> result.ok, len(result.catalogue.vendors) > 0
    (True, True)
    """
    result = Result()
    vendor_paths = _record_paths(data_dir / "vendors", result.problems)
    organization_paths = _record_paths(data_dir / "organizations", result.problems)
    for path in replacements or []:
        target = organization_paths if path.parent.name == "organizations" else vendor_paths
        target[path.name] = path

    vendors = _load_records(vendor_paths, "vendor", result.problems)
    organizations = _load_records(organization_paths, "organization", result.problems)
    vocabularies = {name: _load_vocabulary(data_dir, name, result.problems) for name in VOCABULARY_FILES}
    loaded = {document.path for document in vendors + organizations}
    unloaded = [path for path in [*vendor_paths.values(), *organization_paths.values()] if path not in loaded]
    result.problems += check_all(vendors, organizations, _vocabulary_ids(vocabularies), unloaded)
    log.info("checked %d vendors and %d organizations", len(vendors), len(organizations))

    if result.ok:
        result.catalogue = build_catalogue(
            [document.data for document in vendors],
            [document.data for document in organizations],
            *(vocabularies[name].data for name in VOCABULARY_FILES),  # type: ignore[union-attr]
            vendor_files={document.data["id"]: str(document.path.resolve()) for document in vendors},
        )
    return result


def _record_paths(folder: Path, problems: list[Problem]) -> dict[str, Path]:
    if not folder.is_dir():
        problems.append(Problem(display_path(folder), 1, 1, "", "the folder is missing", "run the command from the repository root, or pass --data"))
        return {}
    paths: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".yaml" and path.is_file():
            paths[path.name] = path
        elif path.suffix in (".yml", ".json"):
            problems.append(Problem(display_path(path), 1, 1, "", f"the file ends in {path.suffix}", f"rename it to {path.stem}.yaml"))
    return paths


def _load_records(paths: dict[str, Path], kind: str, problems: list[Problem]) -> list[Document]:
    documents = []
    for name in sorted(paths):
        document = load_file(paths[name], problems)
        if document is None:
            continue
        problems += check_document(document, kind)
        documents.append(document)
    return documents


def _load_vocabulary(data_dir: Path, name: str, problems: list[Problem]) -> Document | None:
    file_name, kind = VOCABULARY_FILES[name]
    path = data_dir / file_name
    if not path.is_file():
        problems.append(Problem(display_path(path), 1, 1, "", "the vocabulary file is missing", f"restore {file_name} from the repository"))
        return None
    document = load_file(path, problems)
    if document is not None:
        problems += check_document(document, kind)
    return document


def _vocabulary_ids(vocabularies: dict[str, Document | None]) -> Vocabularies:
    def entries(name: str) -> list[dict] | None:
        document = vocabularies[name]
        data = document.data if document is not None else None
        if not isinstance(data, list):
            return None
        return [entry for entry in data if isinstance(entry, dict) and isinstance(entry.get("id"), str)]

    categories, industries, data_kinds = entries("categories"), entries("industries"), entries("data_kinds")
    return Vocabularies(
        categories=None if categories is None else {entry["id"]: entry.get("requires_consent") is True for entry in categories},
        industries=None if industries is None else {entry["id"] for entry in industries},
        data_kinds=None if data_kinds is None else {entry["id"] for entry in data_kinds},
    )
