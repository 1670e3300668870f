"""Reading the configuration file: UTF-8 text, YAML that refuses a key written twice, and the
wording of a validation error by its key path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evictwatch.config_checks import ConfigError


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key written twice in one mapping (YAML itself keeps the last)."""


def _unique_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise ConfigError(f"line {line}: key {key!r} appears twice in one mapping "
                              f"(first on line {seen[key]}); keep one")
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def config_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(f"{path}: the file is UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}: line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); "
                          "save the file as UTF-8") from None


def key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def describe_error(err: Any) -> str:
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        return "unknown key (check its spelling)"
    if "input" in err and err["type"] != "missing" and not isinstance(err["input"], (dict, list)):
        return f"{msg} (got {err['input']!r})"
    return msg
