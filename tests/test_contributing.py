"""The contributor's path from CONTRIBUTING.md: `new`, fill in, validate, fix, tidy.

The walk-through adds a fictional vendor, Lumen Heatmaps, to a copy of the
fixture catalogue, makes three typical mistakes and checks that each message
states exactly what to fix. The last tests check that every command the guide
and the automation show exists, and that the guide becomes a site page.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import _COMMANDS, _load_commands, _parser, main
from generator.export import BuildInfo
from generator.pages.contribute import render_contribute
from generator.scaffold import render_template, vendor_id
from generator.site import build_site_pages
from generator.validation import validate

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURE = REPOSITORY / "tests" / "fixtures" / "catalogue"
RECORD = "data/vendors/lumen-heatmaps.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../../generator/schemas/vendor.schema.json"

# What a contributor writes into the template: each empty line, in the order
# the template has them, and what replaces it.
FILLED = [
    ("organization:", "organization: acme"),
    ("industries:", "industries: [session-recording]"),
    ("website:", "website: https://lumen.example/"),
    ("privacy_policy:", "privacy_policy: https://lumen.example/privacy"),
    ("summary:", "summary: Lumen Heatmaps records clicks and scrolling to draw heatmaps."),
    ("overview:", "overview: Lumen Heatmaps is a fictional heatmap service."),
    ("behaviour:", "behaviour: The script records clicks and scroll depth and sends them to Lumen."),
    ("compliance:", "compliance: Recording how a visitor uses the page needs consent."),
    ("categories:", "categories: [analytics]"),
    ("  block:", "  block: true"),
    ("  reason:", "  reason: It records each visitor's clicks for analytics."),
    ("data_collected:", "data_collected: [clicks, scrolling, cookie-identifiers]"),
    ("  - host:", "  - host: cdn.lumen.example"),
    ("    categories:", "    categories: [analytics]"),
    ("  - name:", "  - name: lumen_id"),
    ("    duration:", "    duration: P1Y"),
    ("    party:", "    party: first"),
    ("    category:", "    category: analytics"),
    ("    description:", "    description: Recognises the visitor on later visits."),
    ("  - question:", "  - question: Does Lumen Heatmaps need consent?"),
    ("    answer:", "    answer: Yes, because it records how each visitor uses the page."),
    ("  - title:", "  - title: Lumen Heatmaps documentation"),
    ("    url:", "    url: https://lumen.example/docs"),
    ("last_reviewed:", "last_reviewed: 2026-12-01"),
]


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return Path("data")


def fill(text: str) -> str:
    for empty, filled in FILLED:
        assert f"\n{empty}\n" in text, f"the template has no empty line {empty!r}"
        text = text.replace(f"\n{empty}\n", f"\n{filled}\n", 1)
    return text


def start_record(capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["new", "Lumen Heatmaps"]) == 0
    capsys.readouterr()
    return Path(RECORD)


def errors_of(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["validate", str(path)])
    return [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]


def test_new_writes_the_template(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Lumen Heatmaps"]) == 0

    text = Path(RECORD).read_text(encoding="utf-8")
    assert text == render_template("lumen-heatmaps", "Lumen Heatmaps")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert "\nid: lumen-heatmaps\nname: Lumen Heatmaps\n" in text
    assert capsys.readouterr().out == (
        f"Created {RECORD}. Fill in every empty value, then check the record with:\n"
        f"  python -m generator validate {RECORD}\n"
    )


@pytest.mark.parametrize(("name", "expected"), [
    ("Crème & Co.", "creme-co"),
    ("Lumen Heatmaps", "lumen-heatmaps"),
    ("Straße Ads", "strasse-ads"),
    ("Ørsted Øre", "orsted-ore"),
    ("  X (formerly Twitter) Pixel ", "x-formerly-twitter-pixel"),
    ("tawk.to", "tawk-to"),
    ("Яндекс", ""),
    ("a" * 70, "a" * 64),
    ("word " * 20, "-".join(["word"] * 13)),
])
def test_vendor_id_from_name(name: str, expected: str) -> None:
    assert vendor_id(name) == expected


def test_new_quotes_a_name_yaml_would_misread(catalogue: Path) -> None:
    assert main(["new", "Yes: Ads", "--id", "yes-ads"]) == 0

    data = yaml.safe_load(Path("data/vendors/yes-ads.yaml").read_text(encoding="utf-8"))
    assert data["name"] == "Yes: Ads"


def test_new_rejects_an_existing_id(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = Path("data/vendors/acme-analytics.yaml").read_bytes()

    assert main(["new", "Acme Analytics"]) == 1

    assert capsys.readouterr().err == (
        "error: data/vendors/acme-analytics.yaml already exists: to correct that vendor, edit that file; "
        "to add a different vendor, choose another id with --id\n"
    )
    assert Path("data/vendors/acme-analytics.yaml").read_bytes() == before


def test_new_rejects_the_alias_of_an_existing_vendor(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "acme insights"]) == 1

    assert capsys.readouterr().err == (
        'error: the vendor "acme insights" is already in data/vendors/acme-analytics.yaml (as its name or an alias): '
        "to correct that vendor, edit that file; if it is a different vendor with the same name, "
        'make the name distinct, such as "acme insights (Company)"\n'
    )
    assert not Path("data/vendors/acme-insights.yaml").exists()


def test_new_requires_id_for_non_latin_name(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Яндекс Метрика"]) == 2

    assert capsys.readouterr().err == (
        'error: no id can be derived from the name "Яндекс Метрика": pass one with --id, such as --id acme-analytics\n'
    )
    assert sorted(path.name for path in Path("data/vendors").iterdir()) == [
        "acme-analytics.yaml", "beacon-ads.yaml", "guard-captcha.yaml",
    ]


def test_new_rejects_an_invalid_id(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Lumen Heatmaps", "--id", "Lumen_Heatmaps"]) == 2

    assert capsys.readouterr().err == (
        "error: `Lumen_Heatmaps` is not a valid id: use lowercase letters a-z, digits and single hyphens, "
        "at most 64 characters, such as --id acme-analytics\n"
    )


def test_untouched_template_fails_on_every_empty_value(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = start_record(capsys)

    errors = errors_of(record, capsys)

    fields = [line.split(": ")[2] for line in errors]
    assert fields == [
        "organization", "industries", "website", "privacy_policy", "summary", "overview", "behaviour",
        "compliance", "categories", "verdict.block", "verdict.reason", "data_collected",
        "domains[0].host", "domains[0].categories",
        "cookies[0].name", "cookies[0].duration", "cookies[0].party", "cookies[0].category", "cookies[0].description",
        "faq[0].question", "faq[0].answer", "sources[0].title", "sources[0].url", "last_reviewed",
    ]
    assert errors[0] == f"{RECORD}:12:14: error: organization: is empty (write the value after the colon)"
    assert errors[1] == (
        f"{RECORD}:15:12: error: industries: the list is empty "
        "(add at least one item below `industries:`, each on its own line starting with `- `)"
    )
    assert errors[9] == f"{RECORD}:40:9: error: verdict.block: is empty (write true or false after the colon)"
    assert errors[12] == f"{RECORD}:48:10: error: domains[0].host: is empty (write the value after the colon)"


def test_filled_template_validates_and_is_tidy(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = start_record(capsys)
    record.write_text(fill(record.read_text(encoding="utf-8")), encoding="utf-8")

    assert main(["validate", RECORD]) == 0
    assert main(["fmt", "--check", RECORD]) == 0
    assert capsys.readouterr() == ("", "")
    result = validate(catalogue)
    assert result.ok
    assert result.catalogue.vendors["lumen-heatmaps"]["domains"] == [{"host": "cdn.lumen.example", "categories": ["analytics"]}]


@pytest.mark.parametrize(("mistake", "correct", "message"), [
    (
        "  - host: https://cdn.lumen.example/heatmap.js",
        "  - host: cdn.lumen.example",
        f"{RECORD}:48:11: error: domains[0].host: `https://cdn.lumen.example/heatmap.js` is a URL, not a host name "
        "(write the host alone: `cdn.lumen.example`)",
    ),
    (
        "categories: [analytics, heatmaps]",
        "categories: [analytics]",
        f"{RECORD}:35:25: error: categories[1]: there is no consent category `heatmaps` "
        "(use one of the ids in data/categories.yaml: analytics, functional, marketing, necessary)",
    ),
    (
        "",
        "privacy_policy: https://lumen.example/privacy",
        f"{RECORD}:7:1: error: privacy_policy: the required key `privacy_policy` is missing "
        "(add `privacy_policy:` with the vendor's privacy policy)",
    ),
], ids=["url-as-domain", "unknown-category", "missing-required-field"])
def test_mistake_message_and_fix(
    catalogue: Path, capsys: pytest.CaptureFixture[str], mistake: str, correct: str, message: str
) -> None:
    record = start_record(capsys)
    filled = fill(record.read_text(encoding="utf-8"))
    assert f"\n{correct}\n" in filled
    record.write_text(filled.replace(f"\n{correct}\n", f"\n{mistake}\n" if mistake else "\n", 1), encoding="utf-8")

    assert errors_of(record, capsys) == [message]

    record.write_text(filled, encoding="utf-8")
    assert errors_of(record, capsys) == []


def test_validate_on_a_changed_vocabulary_file_reports_only_it(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Pre-commit passes every changed data file, vocabularies included.
    assert main(["validate", "data/categories.yaml", "data/vendors/beacon-ads.yaml"]) == 0
    assert capsys.readouterr() == ("", "")

    path = Path("data/categories.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("requires_consent: false", "requires_consent: maybe"), encoding="utf-8")
    assert main(["validate", "data/categories.yaml"]) == 1
    assert [line.split(": ")[2] for line in capsys.readouterr().err.splitlines() if ": error: " in line] == ["[0].requires_consent"]


# Commands shown to contributors ---------------------------------------------

_ALLOWED_PROGRAMS = {"git", "cd", "source", "pip", "pre-commit"}


def shell_lines(markdown: str) -> list[str]:
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)
    return [line.strip() for info, body in blocks if info in ("", "sh", "bash", "shell", "console")
            for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]


def makefile_targets() -> set[str]:
    text = (REPOSITORY / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(\S+)$", text, flags=re.MULTILINE))
    for _ in variables:  # a variable may refer to another, such as READY := $(VENV)/.ready
        text = re.sub(r"\$\((\w+)\)", lambda match: variables.get(match.group(1), match.group(0)), text)
    return set(re.findall(r"^([\w./-]+):", text, flags=re.MULTILINE))


def unknown_command(line: str) -> str | None:
    """Return why `line` is not a command of this repository, or None when it is one."""
    words = shlex.split(line)
    if words[0].endswith("python") and words[1:3] == ["-m", "generator"]:
        return _unknown_generator_command(words[3:])
    if words[0] == "make":
        return None if set(words[1:]) <= makefile_targets() else f"no Makefile target {words[1:]}"
    if words[0] == "mkdocs":
        return None if words[1] in ("serve", "build") else f"unexpected mkdocs command {words[1]}"
    if words[:3] == ["python3", "-m", "venv"] or words[0] in _ALLOWED_PROGRAMS:
        return None
    return f"unexpected program {words[0]}"


def _unknown_generator_command(arguments: list[str]) -> str | None:
    try:
        parsed = _parser().parse_args(arguments)
    except SystemExit:
        return "the command line parser rejects it"
    _load_commands()
    return None if parsed.command in _COMMANDS else f"no function is registered for `{parsed.command}`"


def test_contributing_commands_exist() -> None:
    lines = shell_lines((REPOSITORY / "CONTRIBUTING.md").read_text(encoding="utf-8"))

    assert any("python -m generator new" in line for line in lines)
    assert {line: unknown_command(line) for line in lines} == {line: None for line in lines}


def test_automation_runs_existing_commands() -> None:
    workflows = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((REPOSITORY / ".github/workflows").glob("*.yml"))]
    runs = [step["run"] for workflow in workflows for job in workflow["jobs"].values()
            for step in job.get("steps", []) if "run" in step]
    hooks = [hook["entry"] for hook in yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))]
    config = yaml.safe_load((REPOSITORY / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks += [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    lines = [line.strip() for run in runs for line in run.splitlines() if "generator" in line or line.strip().startswith("make")]

    assert len(lines) >= 5
    assert len(hooks) == 4
    assert {line: unknown_command(line) for line in lines + hooks} == {line: None for line in lines + hooks}


# The Contribute page ---------------------------------------------------------


def test_contribute_page_rewrites_repository_links() -> None:
    markdown = (
        "# Contributing\n\n"
        "Read [the rules](docs/about/verdicts.md#the-verdict), [a record](data/vendors/acme.yaml \"Acme\"),\n"
        "[the site](https://example.org/), [below](#licences) and ![logo](docs/logo.png).\n\n"
        "```sh\necho '[not a link](data/x.yaml)'\n```\n"
    )

    assert render_contribute(markdown, "https://github.com/o/r", "main") == (
        "---\n"
        "description: 'How to add or correct a vendor in Consent Atlas: the record, its checks and the pull request.'\n"
        "---\n\n"
        "# Contributing\n\n"
        "Read [the rules](about/verdicts.md#the-verdict), "
        "[a record](https://github.com/o/r/blob/main/data/vendors/acme.yaml \"Acme\"),\n"
        "[the site](https://example.org/), [below](#licences) and ![logo](logo.png).\n\n"
        "```sh\necho '[not a link](data/x.yaml)'\n```\n"
    )


def test_contribute_page_is_built_from_contributing_md() -> None:
    catalogue = validate(FIXTURE).catalogue

    site = build_site_pages(catalogue, BuildInfo(timestamp=1764585000, source="SOURCE_DATE_EPOCH"), "https://github.com/o/r", "main", REPOSITORY)

    page = site.pages["contribute.md"]
    assert "\n# Contributing to Consent Atlas\n" in page
    assert site.edit_urls["contribute.md"] == "https://github.com/o/r/edit/main/CONTRIBUTING.md"
    relative = [target for target in re.findall(r"\]\(([^)\s]+)", page) if not target.startswith(("http", "#"))]
    assert relative, "the guide links to the verdicts page"
    assert [target for target in relative if not (REPOSITORY / "docs" / target.split("#")[0]).is_file()] == []
