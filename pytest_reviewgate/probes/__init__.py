"""Runtime probes, one per file, listed in ``BUILTIN_PROBES``; the protocol is in :mod:`.base`.

Pure Python; nothing here imports pytest.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Probe, configured, hint_of, show
from .env import EnvProbe
from .mock_patches import MockPatchProbe
from .oslo_config import DEFAULT_SPEC, OsloConfigProbe, parse_spec

__all__ = [
    "BUILTIN_PROBES",
    "DEFAULT_RUNTIME_PROBES",
    "EnvProbe",
    "MockPatchProbe",
    "OsloConfigProbe",
    "Probe",
    "builtin_probes",
    "configured",
    "hint_of",
    "parse_spec",
    "show",
]

# rule code -> probe class serving it. RG903 gets one probe per `runtime-probes` entry.
BUILTIN_PROBES: dict[str, type[MockPatchProbe] | type[EnvProbe] | type[OsloConfigProbe]] = {
    "RG901": MockPatchProbe,
    "RG902": EnvProbe,
    "RG903": OsloConfigProbe,
}

DEFAULT_RUNTIME_PROBES: tuple[str, ...] = (DEFAULT_SPEC,)


def builtin_probes(runtime_probes: Sequence[str] = DEFAULT_RUNTIME_PROBES) -> list[Probe]:
    """The built-in probes, with an oslo.config probe per ``module:attribute`` entry.

    Raises ``ValueError`` naming a malformed entry.
    """
    probes: list[Probe] = [MockPatchProbe(), EnvProbe()]
    probes += [OsloConfigProbe(spec) for spec in dict.fromkeys(runtime_probes)]
    return probes
