"""Every job of the repository: generate, check_generated, lint, typecheck, tests, conformance, mock, spec_diff,
bench. `nox -l` lists them; `nox --usage NAME` prints one's docstring."""

from __future__ import annotations

import difflib
import filecmp
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.download_python = "never"  # nothing is fetched from outside the package registries
nox.options.error_on_missing_interpreters = False  # a machine without 3.12/3.13 skips them, loudly
nox.options.sessions = ["check_generated", "lint", "typecheck", "docs", "tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
SNAPSHOTS = ROOT / "openapi" / "snapshots"
DEFAULT_SNAPSHOT = (SNAPSHOTS / "DEFAULT").read_text().strip()
SPEC = SNAPSHOTS / DEFAULT_SNAPSHOT / "extract-api.yaml"  # the generated client is made from the default snapshot
GEN_CONFIG = ROOT / "openapi" / "generator-config.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
PYTHONS = ["3.11", "3.12", "3.13"]
README_PYTHON = "3.11"
"""What a fresh machine has, as the README says."""
# The three distributions of this checkout, for the sessions that install them: everything (the client with its
# command line, the mock with the conformance suite), or the mock server and the spec tools alone.
LOCAL_PACKAGES = ("-e", "generated", "-e", "overlay[cli]", "-e", "conformance[suite]")
MOCK_ONLY = ("-e", "conformance")


def _activate_pyenv_versions() -> None:
    """Let nox find the pyenv interpreters that are installed but not active (docs/facts.md#nox-on-this-machine).

    pyenv's shim sets PYENV_VERSION to the one version it ran, so the others are added to it, not replaced."""
    if shutil.which("pyenv") is None:
        return
    listed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False)
    active = [v for v in os.environ.get("PYENV_VERSION", "").split(":") if v]
    wanted = [v for v in listed.stdout.split() if any(v.startswith(p + ".") for p in PYTHONS)]
    if extra := [v for v in sorted(wanted) if v not in active]:
        os.environ["PYENV_VERSION"] = ":".join(active + extra)


_activate_pyenv_versions()


def _group(name: str) -> list[str]:
    return nox.project.dependency_groups(PYPROJECT, name)


def _generate(session: nox.Session, output: Path) -> None:
    """Write the client package for the spec into `output`, which must not exist."""
    session.install(*_group("gen"))
    session.run(
        "openapi-python-client", "generate",
        "--path", str(SPEC),
        "--config", str(GEN_CONFIG),
        "--custom-template-path", str(TEMPLATES),
        "--meta", "uv",
        "--output-path", str(output),
        "--fail-on-warning",
        silent=True,
    )  # fmt: skip
    shutil.rmtree(output / ".ruff_cache", ignore_errors=True)


def _tree_differences(expected: Path, actual: Path) -> list[str]:
    """Every file that is missing, extra or different in `actual`, with a unified diff for the different."""
    problems: list[str] = []

    def walk(cmp: filecmp.dircmp[str], rel: Path) -> None:
        problems.extend(f"only in {actual.name}/ (stale or hand-added): {rel / n}" for n in sorted(cmp.left_only))
        problems.extend(f"missing (the spec now makes it): {rel / n}" for n in sorted(cmp.right_only))
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        for name in sorted(mismatch + errors):
            old = (Path(cmp.left) / name).read_text().splitlines(keepends=True)
            new = (Path(cmp.right) / name).read_text().splitlines(keepends=True)
            diff = difflib.unified_diff(old, new, f"generated/{rel / name}", f"regenerated/{rel / name}")
            problems.append(f"differs: {rel / name}\n" + "".join(diff))
        for sub_name, sub in sorted(cmp.subdirs.items()):
            walk(sub, rel / sub_name)

    walk(filecmp.dircmp(actual, expected, ignore=[".ruff_cache", "__pycache__"]), Path())
    return problems


@nox.session(tags=["gen"])
def generate(session: nox.Session) -> None:
    """Rewrite generated/ from the spec (removing it first: --overwrite would keep stray files)."""
    shutil.rmtree(GENERATED, ignore_errors=True)
    _generate(session, GENERATED)
    session.log(f"generated/ rewritten from {SPEC.relative_to(ROOT)}")


@nox.session(tags=["gen", "ci"])
def check_generated(session: nox.Session) -> None:
    """Fail, with a diff, when generated/ is not exactly what the spec and the pinned generator make."""
    # Not under .nox/: ruff's default excludes skip every file below a `.nox` folder, so the post-hooks
    # would silently leave the fresh copy unformatted.
    with tempfile.TemporaryDirectory(prefix="check-generated-") as tmp:
        fresh = Path(tmp) / "generated"
        _generate(session, fresh)
        problems = _tree_differences(fresh, GENERATED)
    if problems:
        session.error("generated/ is stale; run `nox -s generate` and commit the result.\n\n" + "\n".join(problems))
    session.log("generated/ is exactly what the spec makes")


@nox.session(tags=["ci"])
def lint(session: nox.Session) -> None:
    """ruff, lint and format, over everything but generated/ (which has its own, pinned, post-hooks)."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(tags=["ci"])
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the overlay, the conformance kit and the generated package, and over what type checkers
    must make of the client's signatures (overlay/tests/typed)."""
    session.install(*_group("typecheck"), *LOCAL_PACKAGES)
    session.run("mypy", "overlay/src", "conformance/src", "generated/llamacloud_extract_api", "overlay/tests/typed")


@nox.session(tags=["ci"])
def docs(session: nox.Session) -> None:
    """Build the documentation site (mkdocs.yml) into site/, every warning an error: a broken link, a page left
    out of the navigation, a docstring mkdocstrings cannot read. `nox -s docs -- serve` previews it instead."""
    session.install(*_group("docs"), *LOCAL_PACKAGES)
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env={"NO_MKDOCS_2_WARNING": "1"})
        return
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(python=PYTHONS, tags=["ci"])
def tests(session: nox.Session) -> None:
    """The test suite, on each supported Python, spread over the machine's cores (pytest-xdist, a test file to a
    worker, so that a file's module fixtures start once). Arguments after `--` go to pytest and win: `-n 0`
    runs in one process, as a plain `pytest` does. The README's install lines (each a fresh virtual
    environment, 6-16 s) are checked on the README's own Python, 3.11, and deselected on the others, which the
    session says in its log."""
    session.install(*_group("test"), *LOCAL_PACKAGES)
    readme_only = [] if session.python == README_PYTHON else ["-m", "not readme_install"]
    if readme_only:
        session.log(f"the README's install lines are checked on Python {README_PYTHON}: deselected here")
    session.run("pytest", "-n", "auto", "--dist", "loadfile", *readme_only, *session.posargs)


@nox.session(tags=["ci"])
def conformance(session: nox.Session) -> None:
    """The main job: spec, server and client checked against each other. Against the embedded mock server by
    default; `nox -s conformance -- --base-url URL` checks a deployment, read-only, with the key from
    LLAMA_CLOUD_API_KEY. Other options after `--` as for `llamacloud-conformance run --help`. The JUnit file and
    the Markdown summary go to reports/."""
    session.install(*LOCAL_PACKAGES)
    session.run("llamacloud-conformance", "run", "--report-dir", "reports", *session.posargs)


@nox.session
def mock(session: nox.Session) -> None:
    """Run the mock server in the foreground. Arguments after `--` go to it, e.g.
    `nox -s mock -- --port 8787 --api-key KEY --jobs 5000 --runs 500 --seed 1` (port 0 picks a free one)."""
    session.install(*MOCK_ONLY)
    session.run("python", "-m", "llamacloud_conformance.mock", *session.posargs)


@nox.session
def spec_diff(session: nox.Session) -> None:
    """What changed from one spec to another, as Markdown: `nox -s spec_diff -- A B`, each a snapshot name (e.g.
    2026-03-28) or a spec file (YAML or JSON). Every change says whether it breaks clients written against A and
    servers written to A; the command fails when one breaks clients (the module itself exits 1 for that and 2
    for a spec it cannot read; nox turns any failure into 1)."""
    session.install(*MOCK_ONLY)
    session.run("python", "-m", "llamacloud_conformance.spec.diff", *session.posargs)


# The benchmark sections, in the order of the report; each prints its own Markdown (bench/run.py runs them).
BENCH_SCRIPTS = [
    "bench/client_per_item.py",
    "bench/slow_link.py",
    "bench/memory.py",
    "bench/mock_throughput.py",
    "bench/conformance_time.py",
]


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks in BENCH_SCRIPTS, side by side in one run, against the official SDK; the report goes to
    bench/RESULTS.md (speed figures live here, never in tests). `nox -s bench -- --quick` is a smoke run."""
    session.install(*_group("bench"), *LOCAL_PACKAGES)
    session.run("python", "bench/run.py", *session.posargs, *BENCH_SCRIPTS)
