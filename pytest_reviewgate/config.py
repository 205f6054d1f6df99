"""``[tool.reviewgate]`` of ``<rootdir>/pyproject.toml`` -> frozen ``Settings``.

A wrong key or type raises ``ConfigError`` naming the key; the glue turns it into a usage error.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .cwe import CATALOG, PILLARS, Taxonomy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SEVERITIES = ("error", "warning", "off")
RULE_OPTION_KEYS = (
    "allow", "reset-globals", "acquire", "assert-helpers", "error-assertions", "ignore", "strict-resets",
)
BOOL_RULE_OPTIONS = ("strict-resets",)


class ConfigError(Exception):
    """A key of ``[tool.reviewgate]`` is unknown or has the wrong type."""


@dataclass(frozen=True)
class Settings:
    required_version: str | None = None
    glob: str = "*.review.txt"
    default_rules: tuple[str, ...] = ("anchors-resolve", "cwe-known")
    line_tolerance: int = 2
    cwe_taxonomy: Taxonomy | None = CATALOG  # None: any id
    config_objects: tuple[str, ...] = ("oslo_config.cfg.CONF", "django.conf.settings")
    reverting_calls: tuple[str, ...] = ()
    reverting_bases: tuple[str, ...] = ()
    stopall_bases: tuple[str, ...] = ("oslotest.base.BaseTestCase",)
    autospec_bases: tuple[str, ...] = ()
    runtime_probes: tuple[str, ...] = ("oslo_config.cfg:CONF",)
    baseline: str | None = None
    max_review_bytes: int = 10 * 1024 * 1024
    max_findings: int = 10000
    gate_inherited: bool = False  # violations in other files than the reviewed module fail its items too
    rule_timeout: float = 60.0  # seconds per rule check, probe or hook call; 0: no limit
    severity: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        """The literal tail of the glob: ``X<suffix>`` reviews ``X.py``."""
        tail = self.glob
        for ch in "*?[":
            tail = tail.rsplit(ch, 1)[-1] if ch in tail else tail
        return tail

    def severity_for(self, code: str, name: str) -> str | None:
        return self.severity.get(code) or self.severity.get(name)

    def rule_options(self, code: str, name: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        merged.update(self.rules.get(name, {}))
        merged.update(self.rules.get(code, {}))
        return merged

    def digest(self) -> str:
        """A stable hash of every setting, for cache keys."""
        data = {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Taxonomy):
        return value.key()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


_STR_LISTS = (
    "default-rules",
    "config-objects",
    "reverting-calls",
    "reverting-bases",
    "stopall-bases",
    "autospec-bases",
    "runtime-probes",
)


def read_table(rootdir: Path) -> dict[str, Any] | None:
    """``[tool.reviewgate]`` of ``<rootdir>/pyproject.toml``, or None when there is none."""
    path = rootdir / "pyproject.toml"
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            document = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    tool = document.get("tool", {})
    table = tool.get("reviewgate") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError("[tool.reviewgate] must be a table")
    return table


def settings_from_table(table: Mapping[str, Any]) -> Settings:
    """Validate a ``[tool.reviewgate]`` table; list options replace, ``extend-<key>`` adds."""
    defaults = Settings()
    values: dict[str, Any] = {}
    # plain keys first, so ``extend-<key>`` adds to the list whatever order the table has
    for key, value in sorted(table.items(), key=lambda item: item[0].startswith("extend-")):
        base = key[len("extend-") :] if key.startswith("extend-") else key
        if base in _STR_LISTS:
            items = tuple(_str_list(key, value))
            if key.startswith("extend-"):
                attr = base.replace("-", "_")
                items = tuple(values.get(attr, getattr(defaults, attr))) + items
            values[base.replace("-", "_")] = items
        elif key == "cwe-taxonomy" or key == "extend-cwe-taxonomy":
            values["cwe_taxonomy"] = _cwe_taxonomy(key, value, values.get("cwe_taxonomy", defaults.cwe_taxonomy))
        elif key in ("required-version", "baseline"):
            values[key.replace("-", "_")] = _str(key, value)
        elif key == "glob":
            glob = _str(key, value)
            if "/" in glob or not glob.strip("*"):
                raise ConfigError(f"[tool.reviewgate] glob: {glob!r} is not a file name pattern")
            values["glob"] = glob
        elif key == "gate-inherited":
            if not isinstance(value, bool):
                raise ConfigError(f"[tool.reviewgate] {key}: expected true or false, got {value!r}")
            values["gate_inherited"] = value
        elif key in ("line-tolerance", "max-review-bytes", "max-findings"):
            values[key.replace("-", "_")] = _int(key, value)
        elif key == "rule-timeout":
            values["rule_timeout"] = _seconds(key, value)
        elif key == "severity":
            values["severity"] = _severity(value)
        elif key == "rules":
            values["rules"] = _rules(value)
        else:
            raise ConfigError(f"[tool.reviewgate] unknown key {key!r}")
    for spec in values.get("runtime_probes", ()):
        try:
            parse_probe_spec(spec)
        except ValueError as exc:
            raise ConfigError(f"[tool.reviewgate] runtime-probes: {exc}") from None
    if values.get("required_version") is not None:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            SpecifierSet(values["required_version"])
        except InvalidSpecifier:
            raise ConfigError(
                f"[tool.reviewgate] required-version: {values['required_version']!r} is not a version specifier"
            ) from None
    return Settings(**values)


def parse_probe_spec(spec: str) -> tuple[str, str]:
    """Split a ``runtime-probes`` entry ``module:attribute`` (the attribute may be dotted); ``ValueError``
    when malformed."""
    module, sep, attribute = spec.strip().partition(":")
    parts = [*module.split("."), *attribute.split(".")]
    if not sep or not all(part.isidentifier() for part in parts):
        raise ValueError(f"runtime probe {spec!r} is not `module:attribute`, e.g. 'oslo_config.cfg:CONF'")
    return module, attribute


def _str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"[tool.reviewgate] {key}: expected a string, got {type(value).__name__}")
    return value


def _int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"[tool.reviewgate] {key}: expected a non-negative integer, got {value!r}")
    return value


def _seconds(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e9:
        raise ConfigError(f"[tool.reviewgate] {key}: expected a number of seconds (0: no limit), got {value!r}")
    return float(value)


def _str_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.reviewgate] {key}: expected a list of strings")
    return list(value)


def _cwe_taxonomy(key: str, value: Any, current: Taxonomy | None) -> Taxonomy | None:
    """``"catalog"``, ``"pillars"``, ``"any"`` (None) or a list of ids; ``extend-cwe-taxonomy`` adds ids."""
    ids = isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    if key.startswith("extend-"):
        if not ids:
            raise ConfigError(f"[tool.reviewgate] {key}: expected a list of CWE numbers, e.g. [772, 1088]")
        return None if current is None else current.extended(value)
    if value == "catalog":
        return CATALOG
    if value == "pillars":
        return Taxonomy(catalog=False, ids=PILLARS, label="pillars")
    if value == "any":
        return None
    if not ids:
        raise ConfigError(
            f'[tool.reviewgate] {key}: expected "catalog", "pillars", "any" or a list of CWE numbers, got {value!r}'
        )
    return Taxonomy(catalog=False, ids=frozenset(value), label="")


def _severity(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError("[tool.reviewgate] severity: expected a table of rule -> error|warning|off")
    for rule, level in value.items():
        if level not in SEVERITIES:
            raise ConfigError(f"[tool.reviewgate] severity.{rule}: expected one of error, warning, off, got {level!r}")
    return dict(value)


def _rules(value: Any) -> dict[str, dict[str, Any]]:
    """Rule option tables; ``extend-<key>`` adds to the rule's default list (merged in ``checks``)."""
    if not isinstance(value, dict):
        raise ConfigError("[tool.reviewgate] rules: expected tables of rule options")
    out: dict[str, dict[str, Any]] = {}
    for rule, options in value.items():
        if not isinstance(options, dict):
            raise ConfigError(f"[tool.reviewgate] rules.{rule}: expected a table")
        for key, option in options.items():
            if key.removeprefix("extend-") not in RULE_OPTION_KEYS:
                raise ConfigError(f"[tool.reviewgate] rules.{rule}: unknown key {key!r}")
            if key in BOOL_RULE_OPTIONS:
                if not isinstance(option, bool):
                    raise ConfigError(f"[tool.reviewgate] rules.{rule}.{key}: expected true or false")
            elif isinstance(option, list):
                if not all(isinstance(v, str) for v in option):
                    raise ConfigError(f"[tool.reviewgate] rules.{rule}.{key}: expected a list of strings")
            elif not isinstance(option, str) or key.startswith("extend-"):
                raise ConfigError(f"[tool.reviewgate] rules.{rule}.{key}: expected a string or a list of strings")
        out[rule] = dict(options)
    return out
