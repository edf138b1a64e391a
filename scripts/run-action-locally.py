#!/usr/bin/env python3
"""Run the steps of action.yml here, as a GitHub runner would on a pull request.

It sets the GITHUB_* variables (step summary, outputs, repository, commit, base branch, event),
evaluates the ``${{ ... }}`` expressions the steps use, and runs each ``run:`` step with bash,
skipping the install step (the tool is already installed) and the comment-posting step (no
network). Annotations appear on stdout; the summary and the comment are left in --out.

    python scripts/run-action-locally.py --repo ../my-network --base-ref main --out /tmp/ci
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ACTION = Path(__file__).resolve().parents[1] / "action.yml"
SKIPPED = {"install", "comment"}
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def lookup(context: dict[str, Any], expression: str) -> str:
    """The value of a dotted name such as ``inputs.base`` or ``steps.ci.outputs.x``; else ""."""
    value: Any = context
    for part in expression.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    return "" if value is None else str(value)


def expand(text: str, context: dict[str, Any]) -> str:
    """Replace every ``${{ name }}`` in ``text``."""
    return EXPRESSION.sub(lambda m: lookup(context, m.group(1)), text)


def git(repo: Path, *args: str) -> str:
    """The output of one git command in ``repo``."""
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    """Run the action's steps; the exit code is that of the first step that fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the data repository")
    parser.add_argument("--base-ref", default="main", help="the pull request's base branch")
    parser.add_argument("--repository", default="example/network", help="OWNER/NAME")
    parser.add_argument("--out", type=Path, required=True, help="folder for the runner's files")
    parser.add_argument("--input", action="append", default=[], help="an input: name=value")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    action = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for item in args.input:
        name, _, value = item.partition("=")
        inputs[name] = value
    sha = git(repo, "rev-parse", "HEAD")
    summary = out / "step-summary.md"
    summary.touch()
    env = {
        **os.environ,
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REPOSITORY": args.repository,
        "GITHUB_SHA": sha,
        "GITHUB_BASE_REF": args.base_ref,
        "GITHUB_HEAD_REF": git(repo, "rev-parse", "--abbrev-ref", "HEAD"),
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(out),
    }
    context: dict[str, Any] = {
        "inputs": inputs,
        "github": {
            "event_name": "pull_request",
            "repository": args.repository,
            "sha": sha,
            "base_ref": args.base_ref,
            "action_path": str(ACTION.parent),
            "workspace": str(repo),
            "event": {"pull_request": {"number": "1"}},
        },
        "runner": {"temp": str(out)},
        "steps": {},
    }
    for step in action["runs"]["steps"]:
        if step.get("id") in SKIPPED or "run" not in step:
            continue
        output = out / f"output-{step['id']}.txt"
        output.write_text("", encoding="utf-8")
        step_env = {k: expand(str(v), context) for k, v in (step.get("env") or {}).items()}
        cwd = repo / expand(str(step.get("working-directory", ".")), context)
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", expand(step["run"], context)],
            cwd=cwd,
            env={**env, **step_env, "GITHUB_OUTPUT": str(output)},
            check=False,
        )
        outputs = dict(
            line.split("=", 1)
            for line in output.read_text(encoding="utf-8").splitlines()
            if "=" in line
        )
        context["steps"][step["id"]] = {"outputs": outputs}
        if done.returncode:
            print(f"step {step['id']} failed with exit code {done.returncode}", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
