"""The documentation keeps up with the code: every command, option and configuration key is on
its reference page, the README stays a guide, and no link in the docs points at nothing.

In the manner of sqlite-utils' own docs tests: the lists are walked from the code itself (the
Typer app, the pydantic models of config.yaml, the court adapters' simulator switches), so a new
command, option or key fails here until it is documented."""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from pathlib import Path

import pytest
import typer.main
from pydantic import BaseModel

from evictwatch.commands.app import app
from evictwatch.config import AppConfig
from scraper.base import HasSimulator
from scraper.courts import get_source, source_names

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
COMMANDS_PAGE = DOCS / "commands.md"
CONFIG_PAGE = DOCS / "configuration.md"
README_MAX_LINES = 350


def command_paths(group=None, prefix=""):
    """(path, click command) for every command."""
    group = group or typer.main.get_command(app)
    ctx = typer.Context(group)  # the top group loads each command's module by name: ask it, as click does
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = f"{prefix}{name}"
        if hasattr(command, "list_commands"):
            yield from command_paths(command, path + " ")
        else:
            yield path, command


def option_names(command) -> list[str]:
    """Every option name a click command takes (`--court`, `-v`, `--no-x`); arguments have none."""
    return [name for param in command.params if not param.param_type_name == "argument"
            for name in (*param.opts, *param.secondary_opts)]


def sections(text: str, level: int) -> dict[str, str]:
    """Heading text -> the text under it, up to the next heading of this level or above."""
    found: dict[str, str] = {}
    heading, lines = None, []
    for line in strip_code_blocks(text).splitlines():
        match = re.match(r"(#{1,6}) (.*)", line)
        if match and len(match.group(1)) <= level:
            if heading is not None:
                found[heading] = "\n".join(lines)
            heading, lines = match.group(2).strip(), []
        elif heading is not None:
            lines.append(line)
    if heading is not None:
        found[heading] = "\n".join(lines)
    return found


def mentions(text: str, option: str) -> bool:
    """The option as a word of its own: `--no` is not found in `--no-pdf`, nor `-v` in `--verbose`."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def strip_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


# --- (a) commands ------------------------------------------------------------------------------

def test_every_command_is_documented():
    page = COMMANDS_PAGE.read_text(encoding="utf-8")
    paths = [path for path, _ in command_paths()]
    assert {"scrape", "export cases", "parse", "reparse", "db upgrade", "sim", "demo", "archive page"} <= set(paths)
    missing = [path for path in paths if f"`evictwatch {path}" not in page]
    assert not missing, f"docs/commands.md does not document: {', '.join(f'evictwatch {p}' for p in missing)}"


# --- (b) options -------------------------------------------------------------------------------

def command_sections() -> dict[str, str]:
    """`### \\`evictwatch PATH\\``  -> its section of docs/commands.md."""
    found = {}
    for heading, body in sections(COMMANDS_PAGE.read_text(encoding="utf-8"), 3).items():
        match = re.fullmatch(r"`evictwatch ([a-z -]+)`", heading)
        if match:
            found[match.group(1)] = heading + "\n" + body
    return found


def test_every_command_has_a_section_of_its_own():
    documented = command_sections()
    missing = [path for path, _ in command_paths() if path not in documented]
    assert not missing, f"docs/commands.md has no `### \\`evictwatch PATH\\`` section for: {missing}"


@pytest.mark.parametrize("path", [path for path, _ in command_paths()])
def test_every_option_is_documented_in_its_commands_section(path):
    command = dict(command_paths())[path]
    section = command_sections().get(path)
    assert section is not None, f"docs/commands.md has no section `evictwatch {path}`"
    missing = [name for name in option_names(command) if not mentions(section, name)]
    assert not missing, f"docs/commands.md, section `evictwatch {path}`, does not document {missing}"


def test_every_global_option_is_documented():
    root = typer.main.get_command(app)
    names = option_names(root)
    assert {"--config", "--db", "--verbose"} <= set(names)
    section = sections(COMMANDS_PAGE.read_text(encoding="utf-8"), 2).get("Global options")
    assert section is not None, "docs/commands.md has no `## Global options` section"
    missing = [name for name in names if not mentions(section, name)]
    assert not missing, f"docs/commands.md, section Global options, does not document {missing}"


def test_every_simulator_switch_is_documented_under_sim():
    section = command_sections()["sim"]
    switches = [(name, option.flag) for name in source_names() if isinstance(get_source(name), HasSimulator)
                for option in get_source(name).simulator_options]
    assert switches, "no court source declares simulator switches"
    missing = [f"{name} {flag}" for name, flag in switches if not mentions(section, flag)]
    assert not missing, f"docs/commands.md, section `evictwatch sim`, does not document {missing}"


# --- (c) configuration keys --------------------------------------------------------------------

def _model_of(annotation) -> tuple[type[BaseModel] | None, bool]:
    """The pydantic model a field holds (through Optional and lists), and whether it is a list of them."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _model_of(args[0]) if len(args) == 1 else (None, False)
    if origin in (list, tuple, set, frozenset):
        model, _ = _model_of(typing.get_args(annotation)[0])
        return model, model is not None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def config_keys(model: type[BaseModel] = AppConfig, prefix: str = "") -> list[str]:
    """Every key config.yaml accepts, as a dotted path: `scrape.window.look_back_days`,
    `partners[].filters.zips` (a section is a key too: `notify.smtp`, `courts[]`)."""
    keys = []
    for name, field in model.model_fields.items():
        inner, is_list = _model_of(field.annotation)
        key = prefix + (field.alias or name) + ("[]" if is_list else "")  # as config.yaml spells it
        keys.append(key)
        if inner is not None:
            keys += config_keys(inner, key + ".")
    return keys


def test_config_keys_are_walked_from_every_section():
    keys = set(config_keys())
    assert {"scrape.window.look_back_days", "partners[].filters.zips", "partners[].watch.confident",
            "notify.smtp.password_env", "courts[].code", "distributed.stall_timeout_s",
            "pipeline.recheck.appeal_days", "run_mode"} <= keys


def test_every_configuration_key_is_documented():
    page = CONFIG_PAGE.read_text(encoding="utf-8")
    missing = [key for key in config_keys() if f"`{key}`" not in page]
    assert not missing, f"docs/configuration.md does not document: {', '.join(missing)}"


# --- (d) the README stays a guide --------------------------------------------------------------

def test_readme_is_a_guide_not_the_reference():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines (at most {README_MAX_LINES}): move reference material into docs/")


# --- (e) links ---------------------------------------------------------------------------------

def markdown_files() -> list[Path]:
    return [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]


def links(path: Path) -> list[str]:
    """The targets of inline links and images, outside code blocks and code spans."""
    text = strip_code_blocks(path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.findall(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)


def is_relative(target: str) -> bool:
    return not re.match(r"[a-z][a-z0-9+.-]*:", target, flags=re.I) and not target.startswith("//")


def test_markdown_pages_are_found():
    names = {p.relative_to(REPO).as_posix() for p in markdown_files()}
    assert {"README.md", "docs/commands.md", "docs/configuration.md", "docs/courts/va-gdc.md"} <= names


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_points_at_a_file(page: Path):
    broken = []
    for target in links(page):
        if not is_relative(target):
            continue
        file_part = target.split("#", 1)[0]
        if file_part and not (page.parent / file_part).exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(REPO)} links to files that do not exist: {broken}"


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    for line in strip_code_blocks(page.read_text(encoding="utf-8")).splitlines():
        match = re.match(r"#{1,6} (.*)", line)
        if match:
            slug, n = anchor(match.group(1).strip()), 1
            unique = slug
            while unique in found:
                unique, n = f"{slug}-{n}", n + 1
            found.add(unique)
    return found


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_link_to_a_section_finds_its_heading(page: Path):
    broken = []
    for target in links(page):
        if not is_relative(target) or "#" not in target:
            continue
        file_part, fragment = target.split("#", 1)
        linked = (page.parent / file_part) if file_part else page
        if linked.suffix == ".md" and linked.exists() and fragment not in anchors(linked):
            broken.append(target)
    assert not broken, f"{page.relative_to(REPO)} links to sections that do not exist: {broken}"


def test_no_page_points_outside_the_repository():
    """The court facts live in docs/courts/, not in a file beside the repository."""
    outside = re.compile(r"\.\./shared|shared/domain")
    found = [f"{p.relative_to(REPO)}:{n}" for p in [*markdown_files(), *sorted((REPO / "scraper").rglob("*.py"))]
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if outside.search(line)]
    assert not found, f"references to files outside the repository: {found}"
