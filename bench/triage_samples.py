"""Triage the real LLM reviews of the review samples against the Nova modules they reviewed.

    python bench/triage_samples.py --nova-git /work/.mirror/openstack+nova/repo

For each sample: a temporary tree with Nova 34.0.0's source (for the base classes the closures
reach), the reviewed module as it was at the reviewed commit, the review beside it and a
pyproject.toml with ``reverting-bases = ["nova.test.TestCase"]``; then ``pytest --reviewgate-triage``.
Nothing of Nova or of the samples is written into the project: the tree is removed afterwards
(``--keep`` keeps it). Prints each run's triage and writes the verdicts to ``--out`` (JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = Path("/work/shared/review-samples")
NOVA_SRC = Path("/work/cache/src/nova-34.0.0/nova")
MODULE_DIR = "nova/tests/functional/libvirt"
# sample -> (module, commit of openstack/nova the review was written against)
RUNS = {
    "real-observations-vgpu": ("test_vgpu.py", "d2e0afc1f7"),
    "real-cwe-list-vgpu": ("test_vgpu.py", "d2e0afc1f7"),
    "real-observations-vpmem": ("test_vpmem.py", "198573976f"),
}
PYPROJECT = """[tool.reviewgate]
reverting-bases = ["nova.test.TestCase"]
"""


def module_at(git_dir: Path, commit: str, name: str) -> bytes:
    """The module at the commit; when the snapshot lacks the commit, the newest version before it
    (the caller is told)."""
    path = f"{MODULE_DIR}/{name}"
    shown = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                           capture_output=True, check=False)
    if shown.returncode == 0:
        return shown.stdout
    raise SystemExit(f"{commit} is not in {git_dir}: find the nearest version with "
                     f"`git --git-dir {git_dir} log -- {path}` and pass it with --commit")


def build(tree: Path) -> None:
    shutil.copytree(NOVA_SRC, tree / "nova", ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    (tree / "pyproject.toml").write_text(PYPROJECT)


def run(tree: Path, sample: str, module: str, source: bytes, out: Path) -> dict[str, object]:
    folder = tree / MODULE_DIR
    for old in folder.glob("*.review.txt"):
        old.unlink()
    (folder / module).write_bytes(source)
    review = folder / (Path(module).stem + ".review.txt")
    shutil.copyfile(SAMPLES / f"{sample}.review.txt", review)
    report = out / f"{sample}.json"
    # the JSON goes into the tree first: a path outside it would move pytest's rootdir
    command = [sys.executable, "-m", "pytest", "-p", "reviewgate", "--reviewgate-triage", "-q",
               "-p", "no:cacheprovider", "--noconftest", "--reviewgate-triage-json", "triage.json",
               str(review.relative_to(tree))]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTEST_ADDOPTS": ""})
    text = done.stdout
    start = text.find("triage:")
    print(f"=== {sample} ({module})")
    print(text[start:] if start >= 0 else text + done.stderr)
    written = tree / "triage.json"
    data: dict[str, object] = json.loads(written.read_text()) if written.exists() else {}
    if written.exists():
        shutil.move(written, report)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nova-git", type=Path, default=Path("/work/.mirror/openstack+nova/repo"),
                        help="git directory of openstack/nova (the fetch tool's snapshot)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "triage",
                        help="folder for the JSON verdicts")
    parser.add_argument("--keep", action="store_true", help="keep the temporary tree")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tree = Path(tempfile.mkdtemp(prefix="reviewgate-triage-"))
    try:
        build(tree)
        results = {}
        for sample, (module, commit) in RUNS.items():
            results[sample] = run(tree, sample, module, module_at(args.nova_git, commit, module), args.out)
        total = sum(len(r.get("findings", [])) for r in results.values())  # type: ignore[arg-type]
        print(f"{total} findings triaged; verdicts in {args.out}")
    finally:
        if args.keep:
            print(f"tree kept at {tree}")
        else:
            shutil.rmtree(tree, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
