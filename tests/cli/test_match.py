"""``solidarity match`` on the shipped data and on copies of it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solidarity_cli.cli.app import app
from solidarity_cli.matching.engine import match
from solidarity_cli.matching.writer import write_drafts
from solidarity_cli.money import Converter
from solidarity_cli.reading import load_repository
from tests.conftest import PROJECT, Run, generator

AS_OF = "2026-11-21"


def _json(cli: Callable[..., Run], repo: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    run = cli(["match", "--repo", str(repo), "--as-of", AS_OF, "--format", "json", *extra])
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def test_json_document_and_limits(cli: Callable[..., Run]) -> None:
    document = _json(cli, PROJECT)
    assert document["version"] == 1
    assert document["as_of"] == AS_OF
    assert document["base_currency"] == "EUR"
    proposals = document["proposals"]
    assert proposals
    for p in proposals:
        assert set(p) >= {
            "id",
            "community",
            "need",
            "donor",
            "amount",
            "amount_base",
            "weight",
            "reasons",
        }
        assert 0 < p["weight"] <= 1
        assert p["reasons"]
    # most open needs get support
    supported = {p["need"] for p in proposals}
    unmet_only = {u["need"] for u in document["unmet"]} - supported
    assert len(supported) > len(unmet_only)
    # no donor over what it has left, no need over what remains
    given = {}
    for p in proposals:
        if p["amount_base"] is not None:
            given[p["donor"]] = given.get(p["donor"], Decimal(0)) + Decimal(p["amount_base"])
    for donor in document["donors"]:
        money = donor["money"]
        assert Decimal(money["proposed"]) == given.get(donor["donor"], Decimal(0))
        assert Decimal(money["left"]) >= 0
    for u in document["unmet"]:
        assert u["reason"] in {
            "no eligible donor",
            "all eligible capacity used",
            "excluded by a condition",
        }


def test_same_data_same_day_same_bytes(cli: Callable[..., Run]) -> None:
    first = cli(
        ["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--format", "json", "--candidates"]
    )
    second = cli(
        ["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--format", "json", "--candidates"]
    )
    assert first.exit_code == 0
    assert first.stdout == second.stdout


def test_candidates_let_anyone_recompute_the_objective(cli: Callable[..., Run]) -> None:
    document = _json(cli, PROJECT, "--candidates")
    problem = document["candidates"]["money"]
    weights = {(p["need"], p["donor"]): p for p in problem["pairs"]}
    limits = {n["need"]: n["limit"] for n in problem["needs"]}
    total = 0.0
    for p in document["proposals"]:
        if p["amount_base"] is None:
            continue
        pair = weights[(p["need"], p["donor"])]
        cents = round(Decimal(p["amount_base"]) * 100)
        assert cents <= pair["bound"] and cents <= limits[p["need"]]
        total += pair["weight"] * cents
    # amount_base is rounded to the cent; the objective counts each step at its exact value
    shown = sum(1 for p in document["proposals"] if p["amount_base"] is not None)
    assert abs(total / 100 - document["objective"]["money"]["value"]) <= 0.005 * shown


def test_filters_only_choose_what_is_shown(cli: Callable[..., Run]) -> None:
    everything = _json(cli, PROJECT)
    community = everything["proposals"][0]["community"]
    shown = _json(cli, PROJECT, "--community", community)
    assert shown["proposals"] == [p for p in everything["proposals"] if p["community"] == community]
    assert shown["objective"] == everything["objective"]


def test_explain_lists_every_donor(cli: Callable[..., Run]) -> None:
    document = _json(cli, PROJECT)
    ref = document["proposals"][0]["need"]
    run = cli(
        ["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--explain", ref, "--format", "json"]
    )
    assert run.exit_code == 0
    explanation = json.loads(run.stdout)
    donors = explanation["donors"]
    assert len(donors) == len(list((PROJECT / "data" / "donors").glob("*.yaml")))
    kept = [d for d in donors if d["eligible"]]
    assert kept and all(d["score"]["total"] > 0 for d in kept)
    assert all(d["reasons"] for d in donors)
    text = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--explain", ref])
    assert "excluded" in text.stdout or "kept" in text.stdout


def test_explain_unknown_need(cli: Callable[..., Run]) -> None:
    run = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--explain", "nope/nothing"])
    assert run.exit_code == 2
    assert "there is no need 'nope/nothing'" in run.stderr


def test_a_community_whose_file_cannot_be_read_gets_nothing_and_no_crash(
    shipped: Path, cli: Callable[..., Run]
) -> None:
    """A typo in a community's own file leaves its needs out, with a note; the rest is matched."""
    before = _json(cli, shipped)
    community = before["proposals"][0]["community"]
    refs = sorted({p["need"] for p in before["proposals"] if p["community"] == community})
    path = shipped / "data" / "communities" / community / "community.yaml"
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^kind: \w+$", text, flags=re.M)
    path.write_text(re.sub(r"^kind: \w+$", "kind: vilage", text, flags=re.M), encoding="utf-8")
    run = cli(["match", "--repo", str(shipped), "--as-of", AS_OF, "--format", "json"])
    assert run.exit_code == 0, run.stderr
    assert "1 file could not be read and is left out; run solidarity check" in run.stderr
    after = json.loads(run.stdout)
    assert after["proposals"]
    assert all(p["community"] != community for p in after["proposals"])
    assert all(u["need"] not in refs for u in after["unmet"])
    chosen = cli(["match", "--repo", str(shipped), "--as-of", AS_OF, "--community", community])
    assert chosen.exit_code == 2
    assert f"the file of '{community}' cannot be read" in chosen.stderr
    explained = cli(["match", "--repo", str(shipped), "--as-of", AS_OF, "--explain", refs[0]])
    assert explained.exit_code == 0, explained.stderr
    where = f"data/communities/{community}/community.yaml"
    assert (
        f"{refs[0]} is not open on {AS_OF}: the community's file {where} is missing or cannot "
        "be read: run solidarity check." in " ".join(explained.stdout.split())
    )
    said = CliRunner().invoke(
        app,
        ["match", "--repo", str(shipped), "--as-of", AS_OF, "--explain", refs[0]],
        env={"SOLIDARITY_LANG": "pt", "NO_COLOR": "1", "COLUMNS": "400"},
    )
    assert said.exit_code == 0
    assert f"{refs[0]} não está aberta em 21/11/2026: o ficheiro da comunidade {where}" in (
        said.stdout
    )


def test_write_drafts_then_check_is_clean(shipped: Path, cli: Callable[..., Run]) -> None:
    document = _json(cli, shipped)
    run = cli(["match", "--repo", str(shipped), "--as-of", AS_OF, "--write"])
    assert run.exit_code == 0, run.stderr
    for p in document["proposals"]:
        path = shipped / "data" / "partnerships" / p["id"] / "agreement.yaml"
        assert f"wrote data/partnerships/{p['id']}/agreement.yaml" in run.stderr
        text = path.read_text(encoding="utf-8")
        # In the network's language (the shipped network speaks Portuguese first).
        assert "Aguarda a decisão da comunidade" in text
        assert "status: proposed" in text
    check = cli(["check", "--repo", str(shipped), "--as-of", AS_OF, "--format", "json"])
    assert check.exit_code == 0, check.stdout
    # proposals now pending are not proposed twice
    again = _json(cli, shipped)
    assert not {(p["need"], p["donor"]) for p in again["proposals"]} & {
        (p["need"], p["donor"]) for p in document["proposals"]
    }


def test_write_picks_a_free_id_next_to_a_contributors_file(
    shipped: Path, cli: Callable[..., Run]
) -> None:
    first = _json(cli, shipped)["proposals"][0]
    target = shipped / "data" / "partnerships" / first["id"] / "agreement.yaml"
    target.parent.mkdir(parents=True)
    proposed = shipped / "data" / "partnerships" / "coculi-jardim-infantil" / "agreement.yaml"
    theirs = proposed.read_text(encoding="utf-8").replace(
        "id: coculi-jardim-infantil", f"id: {first['id']}"
    )
    target.write_text(theirs, encoding="utf-8")
    run = cli(["match", "--repo", str(shipped), "--as-of", AS_OF, "--write"])
    assert run.exit_code == 0, run.stderr
    assert f"wrote data/partnerships/{first['id']}-2/agreement.yaml" in run.stderr
    assert target.read_text(encoding="utf-8") == theirs


def test_write_never_overwrites(shipped: Path) -> None:
    dataset = load_repository(shipped).dataset
    result = match(dataset, dt.date.fromisoformat(AS_OF))
    first = write_drafts(shipped, dataset, result.proposals, result.as_of)
    assert all(w.written for w in first)
    written = {w.path: (shipped / w.path).read_bytes() for w in first}
    for w in first:  # a contributor edits a draft before the second run
        (shipped / w.path).write_bytes(written[w.path] + b"# reviewed\n")
    second = write_drafts(shipped, dataset, result.proposals, result.as_of)
    assert [w.written for w in second] == [False] * len(first)
    assert all("left as it is" in w.reason for w in second)
    for w in first:
        assert (shipped / w.path).read_bytes() == written[w.path] + b"# reviewed\n"
    assert not list(shipped.rglob("*.tmp"))


def test_text_output_goes_to_stdout_with_titles_and_full_refs(cli: Callable[..., Run]) -> None:
    run = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF])
    assert run.exit_code == 0
    assert "Proposals on 2026-11-21" in run.stdout
    assert re.search(r"\d+ proposals? for \d+ open needs?;", run.stdout)
    # The objective is said in words, not left a bare number.
    assert re.search(
        r"objective [\d,.]+, the proposals' scores times their amounts in [A-Z]{3} plus the "
        r"scores of the needs met whole",
        " ".join(run.stdout.split()),
    )
    assert "Proposals on" not in run.stderr
    document = _json(cli, PROJECT)
    first = document["proposals"][0]["need"]
    dataset = load_repository(PROJECT).dataset
    need = dataset.need(first)
    assert need is not None
    flat = run.stdout.replace("│", " ")
    assert need.title["en"].split()[0] in flat
    assert first in "".join(
        line.split("│")[2].strip() for line in run.stdout.splitlines() if "│" in line
    )


def test_a_closed_need_says_why_in_the_readers_language(cli: Callable[..., Run]) -> None:
    """Statuses are words of the reader's language, not codes, in why a need is not open."""
    found = {}
    for language in ("en", "pt"):
        run = CliRunner().invoke(
            app,
            ["match", "--repo", str(PROJECT), "--as-of", AS_OF,
             "--explain", "kaonge-2025-2028/casa-de-farinha"],
            env={"SOLIDARITY_LANG": language, "NO_COLOR": "1", "COLUMNS": "400"},
        )  # fmt: skip
        assert run.exit_code == 0
        found[language] = run.stdout.strip()
    assert found["en"].endswith("is not open on 2026-11-21: the need is met.")
    assert found["pt"].endswith("não está aberta em 21/11/2026: a necessidade está satisfeita.")


def test_tables_in_a_file_never_break_an_id(tmp_path: Path) -> None:
    """`solidarity match > proposals.txt`: each id and reference whole on its line, so that it
    can be copied back into `--explain`, however narrow the terminal says it is."""
    env = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1", "FORCE_COLOR": "1"}
    args = ["match", "--repo", str(PROJECT), "--as-of", AS_OF]
    with (tmp_path / "proposals.txt").open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "solidarity_cli", *args], stdout=out, env=env, check=False
        )
    assert done.returncode == 0
    # FORCE_COLOR: rich styles a pipe as a terminal; the width is still the pipe's.
    text = re.sub(r"\x1b\[[0-9;]*m", "", (tmp_path / "proposals.txt").read_text(encoding="utf-8"))
    assert "…" not in text
    cells = {c.strip() for line in text.splitlines() for c in line.split("│")}
    document = json.loads(
        subprocess.run(
            [sys.executable, "-m", "solidarity_cli", *args, "--format", "json"],
            capture_output=True,
            env=env,
            check=True,
        ).stdout
    )
    assert document["proposals"] and document["unmet"]
    for p in document["proposals"]:
        assert {p["need"], p["donor"], p["community"]} <= cells
    for u in document["unmet"]:
        assert u["need"] in cells
    # Sentences still wrap: no line is as long as a whole unmet reason.
    assert max(map(len, text.splitlines())) < 300
    explained = subprocess.run(
        [sys.executable, "-m", "solidarity_cli", *args, "--explain", document["unmet"][0]["need"]],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    explained = re.sub(r"\x1b\[[0-9;]*m", "", explained)
    assert "…" not in explained
    donors = {c.strip() for line in explained.splitlines() for c in line.split("│")}
    assert {d.stem for d in (PROJECT / "data" / "donors").glob("*.yaml")} <= donors


@pytest.mark.parametrize(
    ("option", "given", "known"),
    [
        ("--community", "salamanca", "salamansa"),
        ("--donor", "fundacao-morabesa", "fundacao-morabeza"),
        (
            "--need",
            "praia-branca-2025-2028/dessalinizacao",
            "praia-branca-2025-2028/dessalinizacao-solar",
        ),
        (
            "--explain",
            "praia-branca-2025-2028/dessalinizacao",
            "praia-branca-2025-2028/dessalinizacao-solar",
        ),
    ],
)
def test_unknown_filter_exits_2_with_a_did_you_mean(
    cli: Callable[..., Run], option: str, given: str, known: str
) -> None:
    run = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF, option, given])
    assert run.exit_code == 2
    assert f"'{given}'" in run.stderr
    assert f"did you mean '{known}'?" in run.stderr
    assert run.stdout == ""


def test_unknown_filter_with_nothing_close(cli: Callable[..., Run]) -> None:
    run = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--donor", "nobody"])
    assert run.exit_code == 2
    assert "there is no donor 'nobody'" in run.stderr
    assert "data/donors" in run.stderr


def _written(run: Run) -> list[str]:
    return [line.split()[1] for line in run.stderr.splitlines() if line.startswith("wrote ")]


def _write(cli: Callable[..., Run], repo: Path) -> list[str]:
    run = cli(["match", "--repo", str(repo), "--as-of", AS_OF, "--write"])
    assert run.exit_code == 0, run.stderr
    return _written(run)


def _generated(tmp_path: Path) -> Path:
    return generator().generate(tmp_path / "network", 120, 60, seed=3).root


def _drafted(repo: Path, paths: list[str]) -> dict[str, Decimal]:
    """Per donor, what the drafts at ``paths`` hold, in the base currency."""
    dataset = load_repository(repo).dataset
    conv = Converter(dataset.settings)
    out: dict[str, Decimal] = {}
    for rel in paths:
        agreement = dataset.agreements[Path(rel).parent.name]
        for line in agreement.budget:
            amount = conv.to_base(line.value, dt.date.fromisoformat(AS_OF))
            out[agreement.donor] = out.get(agreement.donor, Decimal(0)) + amount
    return out


@pytest.mark.parametrize("network", ["shipped", "generated"])
def test_second_write_on_unchanged_data_writes_nothing(
    network: str, shipped: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    repo = shipped if network == "shipped" else _generated(tmp_path)
    first = _write(cli, repo)
    assert first
    assert _write(cli, repo) == []
    assert _json(cli, repo)["proposals"] == []


@pytest.mark.parametrize("network", ["shipped", "generated"])
def test_an_interrupted_write_is_finished_not_doubled(
    network: str, shipped: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    repo = shipped if network == "shipped" else _generated(tmp_path)
    before = {
        d["donor"]: Decimal(d["money"]["left"]) + Decimal(d["money"]["proposed"])
        for d in _json(cli, repo)["donors"]
    }
    first = _write(cli, repo)
    # the run stopped after the first half of its drafts: the others never reached the disk
    for rel in first[len(first) // 2 :]:
        (repo / rel).unlink()
        (repo / rel).parent.rmdir()
    resumed = _write(cli, repo)
    assert resumed
    assert _write(cli, repo) == []
    kept = first[: len(first) // 2]
    assert not set(kept) & set(resumed)
    for donor, amount in _drafted(repo, kept + resumed).items():
        assert amount <= before[donor] + Decimal("0.05"), donor


def test_reading_shows_how_many_files_are_read_of_how_many(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status line counts the files while the data is read (a large network takes a while)."""
    import contextlib

    from solidarity_cli.cli import match as match_command

    said: list[str] = []

    class Status:
        def update(self, text: str) -> None:
            said.append(text)

    class Console:
        def status(self, text: str, **_: object) -> contextlib.AbstractContextManager[Status]:
            said.append(text)
            return contextlib.nullcontext(Status())

        def print(self, *_: object, **__: object) -> None:
            pass

    monkeypatch.setattr(match_command, "stderr_console", Console)
    monkeypatch.setattr("solidarity_cli.reading.loader.PROGRESS_EVERY", 50)
    run = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--format", "json"])
    assert run.exit_code == 0, run.stderr
    counts = [re.fullmatch(r"Reading the data: ([\d,]+) of ([\d,]+) files", s) for s in said]
    found = [(int(m[1].replace(",", "")), int(m[2].replace(",", ""))) for m in counts if m]
    assert len(found) >= 2, said
    total = found[-1][1]
    assert found[-1] == (total, total) and total > 50
    assert [d for d, _ in found] == sorted(d for d, _ in found)
    # The total is what the match reads: not the reports' files, nor the network's rules.
    under = PROJECT / "data"
    files = [p for p in under.rglob("*") if p.is_file()]
    skipped = [p for p in files if "reports" in p.parts or "rules" in p.parts]
    assert skipped
    assert total == len(files) - len(skipped)
