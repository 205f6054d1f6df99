"""The built-in rules, listed in one explicit table."""

from __future__ import annotations

from .base import Context, Rule, RuleRegistry
from .rg001_anchors_resolve import AnchorsResolve
from .rg002_cwe_known import CweKnown
from .rg003_review_valid import ReviewValid
from .rg101_config_reverted_via_fixtures import ConfigRevertedViaFixtures
from .rg102_env_reverted_via_fixtures import EnvRevertedViaFixtures
from .rg103_no_unreverted_monkeypatch import NoUnrevertedMonkeypatch
from .rg201_mocks_undone import MocksUndone
from .rg202_mocks_autospecced import MocksAutospecced
from .rg203_patch_targets_exist import PatchTargetsExist
from .rg301_cleanup_registered import CleanupRegistered
from .rg302_no_hardcoded_uuids import NoHardcodedUuids
from .rg303_tests_assert import TestsAssert
from .rg304_error_paths_tested import ErrorPathsTested
from .rg901_no_leaked_patches import NoLeakedPatches
from .rg902_env_restored import EnvRestored
from .rg903_config_restored import ConfigRestored

BUILTIN_RULES: tuple[type[Rule], ...] = (
    AnchorsResolve,
    CweKnown,
    ReviewValid,
    ConfigRevertedViaFixtures,
    EnvRevertedViaFixtures,
    NoUnrevertedMonkeypatch,
    MocksUndone,
    MocksAutospecced,
    PatchTargetsExist,
    CleanupRegistered,
    NoHardcodedUuids,
    TestsAssert,
    ErrorPathsTested,
    NoLeakedPatches,
    EnvRestored,
    ConfigRestored,
)

__all__ = ["BUILTIN_RULES", "ConfigRevertedViaFixtures", "Context", "Rule", "RuleRegistry"]
