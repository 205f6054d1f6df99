"""Test-body templates of the benchmark corpus; each plants known issues at known lines.

A template returns decorators, body lines and the issues it planted (``self.flags``, an
unstopped patcher, a literal UUID...) with their body index, so reviews can point at them.
"""

from __future__ import annotations

import random
from collections.abc import Callable

# Project source the tests patch: (module, class, methods). RG203 reads these files.
PROJECT = {
    "benchproj.compute.manager": ("ComputeManager", ("build_instance", "_sync_power_states", "resize", "_notify")),
    "benchproj.virt.driver": ("ComputeDriver", ("spawn", "destroy", "get_info", "_create_domain")),
    "benchproj.network.api": ("API", ("allocate_for_instance", "deallocate", "get_ports")),
    "benchproj.scheduler.filters": ("HostFilter", ("host_passes", "_weigh")),
    "benchproj.objects.instance": ("Instance", ("save", "refresh", "get_by_uuid")),
}
ALIASES = {"benchproj.compute.manager": "manager", "benchproj.virt.driver": "driver",
           "benchproj.network.api": "network_api", "benchproj.scheduler.filters": "filters",
           "benchproj.objects.instance": "instance_obj"}
OPTIONS = (("host", None, "'compute1'"), ("enabled", "vnc", "False"), ("region_name", "placement", "'north'"),
           ("max_attempts", "scheduler", "3"), ("debug", None, "True"), ("cpu_allocation_ratio", None, "4.0"),
           ("enabled_vgpu_types", "devices", "['nvidia-11']"), ("timeout", "neutron", "30"))
VERBS = ("create", "delete", "resize", "migrate", "rebuild", "attach", "detach", "reboot", "list", "show",
         "update", "evacuate", "shelve", "boot", "allocate", "refresh", "sync", "schedule")
NOUNS = ("server", "volume", "port", "flavor", "image", "instance", "host", "aggregate", "allocation", "mdev",
         "quota", "keypair", "snapshot", "network", "device", "request_spec", "migration", "service")
TAILS = ("", "_with_specific_type", "_fails", "_when_disabled", "_twice", "_no_host", "_over_quota",
         "_in_error_state", "_with_bdm", "_by_admin", "_legacy", "_with_numa", "_after_restart")


def fake_uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _target(rng: random.Random, exists: bool = True) -> tuple[str, str, str]:
    module = rng.choice(sorted(PROJECT))
    cls, methods = PROJECT[module]
    attr = rng.choice(methods) if exists else rng.choice(("_gone", "_legacy_build", "old_spawn"))
    return module, cls, attr


def filler(rng: random.Random, n: int, asserts: bool, pt: bool = False) -> list[str]:
    """Ordinary test body statements, about ``n`` lines; ``pt``: plain pytest spelling."""
    me = "" if pt else "self."
    out: list[str] = []
    while len(out) < n:
        noun, i = rng.choice(NOUNS), rng.randrange(100)
        pick = rng.randrange(7 if asserts else 5)
        if pick == 0:
            out.append(f"{noun} = {me}_create_{noun}(name='{noun}-{i}')")
        elif pick == 1:
            out += ["expected = {", f"    'id': {i},", f"    'name': '{noun}-{i}',", "    'status': 'ACTIVE',",
                    f"    'host': 'compute{i % 4}',", "}"]
        elif pick == 2:
            out += [f"for attempt in range({1 + i % 3}):", f"    result = {me}compute.{rng.choice(VERBS)}_{noun}(",
                    f"        {me}context, {noun}_id={i}, attempt=attempt)"]
        elif pick == 3:
            out.append(f"# Make sure the {noun} ends up on the expected compute host.")
        elif pick == 4:
            out.append(f"{me}{noun}_ids.append(result.get('{noun}_id', {i}))" if rng.random() < 0.5
                       else f"LOG.debug('%s %s', '{noun}', {i})")
        elif pick == 5:
            out.append(f"assert result['name'] == '{noun}-{i}'" if pt
                       else f"self.assertEqual('{noun}-{i}', result['name'])")
        elif pt:
            out += ["assert (", f"    '{noun}-{i}'", f"    in [x['name'] for x in result['{noun}s']])"]
        else:
            out += ["self.assertIn(", f"    '{noun}-{i}',", f"    [x['name'] for x in result['{noun}s']])"]
    return out


# A template: (rng, class name or "") -> (decorators, body lines, {kind: body index}, is_test override)
Body = tuple[list[str], list[str], dict[str, int]]


def t_flags(rng: random.Random) -> Body:
    name, group, value = rng.choice(OPTIONS)
    g = f", group='{group}'" if group else ""
    return [], [f"self.flags({name}={value}{g})", *filler(rng, rng.randint(4, 14), True)], {"config-flags": 0}


def t_override(rng: random.Random) -> Body:
    name, group, value = rng.choice(OPTIONS)
    g = f", group='{group}'" if group else ""
    body = [f"CONF.set_override('{name}', {value}{g})"]
    if rng.random() < 0.5:
        body.append(f"self.addCleanup(CONF.clear_override, '{name}'{g})")
        return [], body + filler(rng, rng.randint(4, 12), True), {"config-override-cleanup": 0}
    return [], body + filler(rng, rng.randint(4, 12), True), {"config-override": 0}


def t_config_assign(rng: random.Random) -> Body:
    name, _, value = rng.choice(OPTIONS)
    body = [f"orig = CONF.{name}", f"CONF.{name} = {value}", *filler(rng, rng.randint(3, 10), True),
            f"CONF.{name} = orig"]
    return [], body, {"config-assign": 1}


def t_env(rng: random.Random) -> Body:
    var = f"BENCH_{rng.choice(NOUNS).upper()}_URL"
    if rng.random() < 0.5:
        body = [f"self.useFixture(fixtures.EnvironmentVariable('{var}', 'http://localhost:{rng.randrange(9999)}'))"]
        return [], body + filler(rng, rng.randint(3, 10), True), {"env-fixture": 0}
    body = [f"os.environ['{var}'] = 'http://localhost:{rng.randrange(9999)}'"]
    return [], body + filler(rng, rng.randint(3, 10), True), {"env-write": 0}


def t_mock_start(rng: random.Random) -> Body:
    module, cls, attr = _target(rng)
    alias = ALIASES[module]
    if rng.random() < 0.5:
        body = [f"self.mock_{attr.strip('_')} = mock.patch.object(", f"    {alias}.{cls}, '{attr}').start()"]
        return [], body + filler(rng, rng.randint(3, 10), True), {"mock-start-leak": 0, "mock-no-autospec": 0}
    body = [f"patcher = mock.patch('{module}.{cls}.{attr}', autospec=True)", "self.mock_x = patcher.start()",
            "self.addCleanup(patcher.stop)"]
    return [], body + filler(rng, rng.randint(3, 10), True), {"mock-start-cleanup": 1}


def t_decorated(rng: random.Random) -> Body:
    module, cls, attr = _target(rng, exists=rng.random() < 0.85)
    spec = ", autospec=True" if rng.random() < 0.5 else ""
    deco = [f"@mock.patch('{module}.{cls}.{attr}'{spec})"]
    kinds = {"patch-target": -1} if spec else {"patch-target": -1, "mock-no-autospec": -1}
    if attr.startswith(("_gone", "_legacy", "old")):
        kinds["patch-target-missing"] = -1
    body = [*filler(rng, rng.randint(3, 10), True), "mock_x.assert_called_once_with(mock.ANY)"]
    return deco, body, kinds


def t_mockpatch_fixture(rng: random.Random) -> Body:
    module, cls, attr = _target(rng)
    spec = ", autospec=True" if rng.random() < 0.6 else ""
    body = ["self.useFixture(fixtures.MockPatch(", f"    '{module}.{cls}.{attr}'{spec}))"]
    kinds = {"mockpatch-fixture": 0} if spec else {"mockpatch-fixture": 0, "mock-no-autospec": 0}
    return [], body + filler(rng, rng.randint(3, 10), True), kinds


def t_module_assign(rng: random.Random) -> Body:
    alias = rng.choice(sorted(ALIASES.values()))
    body = [f"{alias}.LOG = mock.Mock()", *filler(rng, rng.randint(3, 10), True)]
    return [], body, {"monkeypatch-assign": 0}


def t_tempdir(rng: random.Random) -> Body:
    if rng.random() < 0.5:
        body = ["path = tempfile.mkdtemp()", "self.addCleanup(shutil.rmtree, path)"]
        return [], body + filler(rng, rng.randint(3, 8), True), {"tempdir-cleanup": 0}
    body = ["path = tempfile.mkdtemp()", "with open(os.path.join(path, 'disk.info'), 'w') as f:",
            "    f.write('{}')"]
    return [], body + filler(rng, rng.randint(3, 8), True), {"tempdir-leak": 0}


def t_uuid(rng: random.Random) -> Body:
    body = [f"instance_uuid = '{fake_uuid(rng)}'", *filler(rng, rng.randint(3, 10), True),
            f"self.assertEqual('{fake_uuid(rng)}', result['uuid'])"]
    return [], body, {"uuid": 0}


def t_no_assert(rng: random.Random) -> Body:
    return [], filler(rng, rng.randint(4, 14), False), {"no-assert": 0}


def t_raises(rng: random.Random) -> Body:
    noun = rng.choice(NOUNS)
    body = [*filler(rng, rng.randint(2, 8), True),
            f"self.assertRaises(exception.{noun.title().replace('_', '')}NotFound,",
            f"                  self.compute.{rng.choice(VERBS)}_{noun}, self.context, '{noun}-x')"]
    return [], body, {"raises": len(body) - 2}


def t_plain(rng: random.Random) -> Body:
    return [], filler(rng, rng.randint(6, 22), True), {}


TEMPLATES: tuple[tuple[Callable[[random.Random], Body], int], ...] = (
    (t_plain, 30), (t_flags, 8), (t_override, 6), (t_config_assign, 2), (t_env, 4), (t_mock_start, 6),
    (t_decorated, 8), (t_mockpatch_fixture, 5), (t_module_assign, 2), (t_tempdir, 2), (t_uuid, 5),
    (t_no_assert, 3), (t_raises, 6),
)
TESTTOOLS_CHOICES = [t for t, w in TEMPLATES for _ in range(w)]


# Plain pytest tests: the body gets the fixtures it names as parameters.
PBody = tuple[list[str], list[str], list[str], dict[str, int]]  # decorators, params, body, kinds


def p_plain(rng: random.Random) -> PBody:
    return [], ["compute", "context"], filler(rng, rng.randint(5, 18), True, pt=True), {}


def p_setenv(rng: random.Random) -> PBody:
    variable = f"BENCH_{rng.choice(NOUNS).upper()}"
    body = [f"monkeypatch.setenv('{variable}', '1')", *filler(rng, rng.randint(3, 10), True, True)]
    return [], ["compute", "context", "monkeypatch"], body, {"monkeypatch-setenv": 0}


def p_env_write(rng: random.Random) -> PBody:
    body = [f"os.environ['BENCH_{rng.choice(NOUNS).upper()}'] = '1'", *filler(rng, rng.randint(3, 10), True, True)]
    return [], ["compute", "context"], body, {"env-write": 0}


def p_setattr(rng: random.Random) -> PBody:
    alias = rng.choice(sorted(ALIASES.values()))
    body = [f"monkeypatch.setattr({alias}, 'LOG', mock.Mock())", *filler(rng, rng.randint(3, 10), True, True)]
    return [], ["compute", "context", "monkeypatch"], body, {"monkeypatch-setattr": 0}


def p_assign(rng: random.Random) -> PBody:
    alias = rng.choice(sorted(ALIASES.values()))
    body = [f"{alias}.LOG = mock.Mock()", *filler(rng, rng.randint(3, 10), True, True)]
    return [], ["compute", "context"], body, {"monkeypatch-assign": 0}


def p_start(rng: random.Random) -> PBody:
    module, cls, attr = _target(rng)
    body = [f"fake = mock.patch('{module}.{cls}.{attr}').start()", *filler(rng, rng.randint(3, 10), True, True),
            "fake.assert_called_once_with(mock.ANY)"]
    return [], ["compute", "context"], body, {"mock-start-leak": 0, "mock-no-autospec": 0, "patch-target": 0}


def p_uuid(rng: random.Random) -> PBody:
    body = [f"instance_uuid = '{fake_uuid(rng)}'", *filler(rng, rng.randint(3, 10), True, True)]
    return [], ["compute", "context"], body, {"uuid": 0}


def p_no_assert(rng: random.Random) -> PBody:
    return [], ["compute", "context"], filler(rng, rng.randint(4, 12), False, True), {"no-assert": 0}


def p_raises(rng: random.Random) -> PBody:
    noun = rng.choice(NOUNS)
    body = [*filler(rng, rng.randint(2, 8), True, True),
            f"with pytest.raises(exception.{noun.title().replace('_', '')}NotFound):",
            f"    compute.{rng.choice(VERBS)}_{noun}(context, '{noun}-x')"]
    return [], ["compute", "context"], body, {"raises": len(body) - 2}


def p_parametrized(rng: random.Random) -> PBody:
    values = ", ".join(repr(f"m1.{s}") for s in rng.sample(("tiny", "small", "medium", "large", "xlarge"), 3))
    deco = [f"@pytest.mark.parametrize('flavor', [{values}])"]
    return deco, ["compute", "context", "flavor"], filler(rng, rng.randint(4, 12), True, True), {}


P_TEMPLATES: tuple[tuple[Callable[[random.Random], PBody], int], ...] = (
    (p_plain, 30), (p_setenv, 5), (p_env_write, 3), (p_setattr, 5), (p_assign, 2), (p_start, 4), (p_uuid, 4),
    (p_no_assert, 3), (p_raises, 6), (p_parametrized, 6),
)
PYTEST_CHOICES = [t for t, w in P_TEMPLATES for _ in range(w)]
