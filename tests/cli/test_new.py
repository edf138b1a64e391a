"""``init`` then ``new`` of every kind: each step leaves a repository that passes ``check``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from solidarity_cli.cli.app import app
from tests.conftest import Run

AS_OF = "2025-09-15"
STRATEGY = "cruz-de-baixo-2025-2028"

#: Every kind, with options only, in the order a network grows.
STEPS: list[tuple[str, list[str]]] = [
    ("community", ["--name", "Cruz de Baixo", "--country", "CV", "--subdivision", "CV-PN",
                   "--island", "Santo Antão", "--association", "Associação de Cruz de Baixo",
                   "--maintainer", "Maria Lopes", "--github", "maria-lopes"]),
    ("strategy", ["cruz-de-baixo", "--title", "Plano comunitário", "--start", "2025-01-01",
                  "--end", "2028-12-31", "--adopted-on", "2025-01-20", "--participants", "40",
                  "--minutes", "https://example.org/ata.pdf"]),
    ("need", [STRATEGY, "--title", "Cisterna comunitária", "--dimension", "water",
              "--amount", "1800"]),
    ("need", [STRATEGY, "--title", "Formação em rega", "--dimension", "food-security",
              "--type", "training"]),
    ("donor", ["--name", "Amigos de Lisboa", "--type", "informal-group", "--country", "PT"]),
    ("agreement", ["--needs", f"{STRATEGY}/cisterna-comunitaria", "--donor",
                   "amigos-de-lisboa", "--title", "Cisterna de Cruz"]),
    ("report", ["cisterna-de-cruz", "--start", "2025-04-01", "--submitted-by", "Maria Lopes",
                "--submitted-on", "2025-07-05"]),
    ("platform", ["--name", "Plataforma de Santo Antão", "--country", "CV"]),
    ("rule", ["--summary", "Needs say their results", "--family", "needs", "--applies-to",
              "need", "--condition", "size(record.expected_results) > 0", "--message",
              "No expected results", "--rationale", "Results make follow-up possible",
              "--good", "{expected_results: [{en: x}]}", "--bad", "{expected_results: []}"]),
]  # fmt: skip


def _check(cli: Callable[..., Run], root: Path) -> Run:
    """check exits 0 and fmt --check finds nothing to change."""
    result = cli(["check", "--repo", str(root), "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr
    formatted = cli(["fmt", "--check", "--repo", str(root)])
    assert formatted.exit_code == 0, formatted.stdout + formatted.stderr
    return result


def _comments(path: Path) -> int:
    return sum(1 for line in path.read_text("utf-8").splitlines() if line.lstrip().startswith("#"))


def test_init_then_new_of_every_kind_with_options_only(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    root = tmp_path / "rede"
    made = cli(["init", str(root), "--name", "Rede", "--language", "pt", "--currency", "CVE"])
    assert made.exit_code == 0, made.stderr
    _check(cli, root)
    for kind, options in STEPS:
        result = cli(["new", kind, "--repo", str(root), "--no-input", *options])
        assert result.exit_code == 0, (kind, result.stderr)
        assert "solidarity check" in result.stdout
        _check(cli, root)
    strategy = root / "data/communities/cruz-de-baixo/strategies" / f"{STRATEGY}.yaml"
    record = YAML(typ="safe").load(strategy.read_text("utf-8"))
    assert [n["priority"] for n in record["needs"]] == [1, 2]
    assert record["status"] == "adopted"
    community = (root / "data/communities/cruz-de-baixo/community.yaml").read_text("utf-8")
    # Comments in the network's language (Portuguese).
    assert "# Código ISO 3166-1 do país" in community


def test_a_new_need_keeps_the_strategy_comments_and_order(
    cli: Callable[..., Run], minimal: Path
) -> None:
    path = minimal / "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
    before = path.read_text("utf-8")
    result = cli(["new", "need", "cruzinha-2025-2028", "--repo", str(minimal), "--no-input",
                  "--title", "Painéis solares", "--dimension", "water",
                  "--amount", "900"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = path.read_text("utf-8")
    assert after.startswith(before.split("\nneeds:")[0])
    assert _comments(path) >= sum(1 for x in before.splitlines() if x.lstrip().startswith("#"))
    record = YAML(typ="safe").load(after)
    added = record["needs"][-1]
    assert added["id"] == "paineis-solares"
    assert added["priority"] == max(n["priority"] for n in record["needs"][:-1]) + 1
    assert list(record) == list(YAML(typ="safe").load(before))
    _check(cli, minimal)


def test_a_new_report_starts_after_the_last_one_with_the_last_values(
    cli: Callable[..., Run], minimal: Path
) -> None:
    agreement = YAML(typ="safe").load(
        (minimal / "data/partnerships/cruzinha-cisterna/agreement.yaml").read_text("utf-8")
    )
    last = YAML(typ="safe").load(
        (minimal / "data/partnerships/cruzinha-cisterna/reports/2025-q2.yaml").read_text("utf-8")
    )
    result = cli(["new", "report", "cruzinha-cisterna", "--repo", str(minimal), "--no-input",
                  "--submitted-by", "Maria", "--submitted-on", "2025-10-05"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    written = re.search(r"(data/\S+\.yaml)", result.stdout)
    assert written is not None
    report = YAML(typ="safe").load((minimal / written.group(1)).read_text("utf-8"))
    start = report["period"]["start"]
    assert start.toordinal() == last["period"]["end"].toordinal() + 1
    indicators = [(r["id"], i["id"]) for r in agreement["results"] for i in r["indicators"]]
    assert [(v["result"], v["indicator"]) for v in report["indicator_values"]] == indicators
    previous = {(v["result"], v["indicator"]): v["value"] for v in last["indicator_values"]}
    for value in report["indicator_values"]:
        key = (value["result"], value["indicator"])
        if key in previous:
            assert value["value"] == previous[key]
    _check(cli, minimal)


def test_never_overwrites_and_refuses_duplicates(cli: Callable[..., Run], minimal: Path) -> None:
    result = cli(["new", "donor", "--repo", str(minimal), "--no-input", "--name", "X",
                  "--id", "fundacao-mar-aberto", "--type", "ngo", "--country", "PT"])  # fmt: skip
    assert result.exit_code == 2
    assert "already a donor with the id fundacao-mar-aberto" in result.stderr
    assert "fundacao-mar-aberto-2" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_input_names_the_missing_option(cli: Callable[..., Run], minimal: Path) -> None:
    result = cli(["new", "donor", "--repo", str(minimal), "--no-input", "--name", "X"])
    assert result.exit_code == 2
    assert "--country is missing" in result.stderr


def test_no_input_names_every_missing_option_at_once(
    cli: Callable[..., Run], minimal: Path, shipped: Path
) -> None:
    """One run says all that is missing, not one option per run; an id made from the name is
    not asked for when only the name is missing."""
    result = cli(["new", "community", "--repo", str(minimal), "--no-input"])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert (
        "--name, --country, --subdivision, --association, --maintainer, --github are missing"
        in said
    )
    assert "--id" not in said
    again = cli(["new", "community", "--repo", str(minimal), "--no-input", "--name", "Vila Nova",
                 "--country", "CV", "--island", "Santiago", "--subdivision", "CV-PR",
                 "--association", "Associação",
                 "--maintainer", "Ana", "--github", "ana"])  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert (minimal / "data" / "communities" / "vila-nova" / "community.yaml").is_file()
    # An answer given after the missing one counts: the id made from the title is not asked.
    need = cli(["new", "need", "--repo", str(shipped), "--no-input", "--title", "Water tank",
                "--dimension", "water", "--amount", "1800"])  # fmt: skip
    assert need.exit_code == 2
    assert "--strategy is missing" in need.stderr and "--id" not in need.stderr
    for kind in ("rule", "report", "need", "agreement", "strategy", "platform"):
        run = cli(["new", kind, "--repo", str(minimal), "--no-input"])
        assert run.exit_code == 2, kind
        assert "are missing" in run.stderr or "is missing" in run.stderr, kind
        assert "internal error" not in run.stderr, kind


def test_unknown_reference_says_did_you_mean(cli: Callable[..., Run], minimal: Path) -> None:
    result = cli(["new", "need", "cruzinha-2025", "--repo", str(minimal), "--no-input"])
    assert result.exit_code == 2
    assert "did you mean cruzinha-2025-2028?" in result.stderr


def _prompted(root: Path, args: Sequence[str], answers: Sequence[str], lang: str = "en") -> Run:
    result = CliRunner().invoke(
        app,
        ["new", *args, "--repo", str(root)],
        input="".join(a + "\n" for a in answers),
        env={"NO_COLOR": "1", "COLUMNS": "120", "SOLIDARITY_LANG": lang},
    )
    return Run(result.exit_code, result.stdout, result.stderr)


def test_input_that_ends_before_an_answer_says_which_option_to_give(
    minimal: Path, tmp_path: Path
) -> None:
    """A pipe or a script with no answer left: exit 2 naming the option, nothing written."""
    before = sorted(p.relative_to(minimal) for p in minimal.rglob("*"))
    result = _prompted(minimal, ["donor"], [])
    assert result.exit_code == 2, result.stderr
    assert "no answer to “Name of the donor”: the input ended" in result.stderr
    assert "give --name VALUE" in result.stderr
    assert sorted(p.relative_to(minimal) for p in minimal.rglob("*")) == before
    run = CliRunner().invoke(
        app, ["init", str(tmp_path / "rede")], input="", env={"SOLIDARITY_LANG": "pt"}
    )
    assert run.exit_code == 2
    assert "sem resposta a “Nome da rede”" in run.stderr and "--name VALOR" in run.stderr
    assert not (tmp_path / "rede").exists()


#: The same network through the prompts: answers in the order they are asked ("" = default).
PROMPTED: list[tuple[list[str], list[str]]] = [
    (["community"], ["Cruz de Baixo", "", "", "CV", "CV-PN", "Santo Antão", "Associação",
                     "", "", "Maria Lopes", "@maria-lopes"]),
    (["strategy"], ["cruz-de-baixo", "Plano", "2025-01-01", "2028-12-31", "", "2025-01-20", "",
                    "40", "https://example.org/ata.pdf"]),
    (["need", STRATEGY], ["Cisterna", "", "water", "", "1800", ""]),
    (["donor"], ["Amigos", "", "informal-group", "PT"]),
    (["agreement"], [f"{STRATEGY}/cisterna", "amigos", "Cisterna de Cruz", ""]),
    (["report", "cisterna-de-cruz"], ["", "2025-04-01", "", "", "Maria", "2025-07-05"]),
    (["platform"], ["Plataforma", "", "", "CV"]),
    (["rule"], ["Needs say their results", "", "needs", "", "need",
                "size(record.expected_results) > 0", "No results", "Follow-up",
                "{expected_results: [{en: x}]}", "{expected_results: []}"]),
]  # fmt: skip


def test_the_same_through_the_prompts(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = tmp_path / "rede"
    assert cli(["init", str(root), "--name", "Rede", "--language", "pt"]).exit_code == 0
    for args, answers in PROMPTED:
        result = _prompted(root, args, answers)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        _check(cli, root)
    assert len(list((root / "data").rglob("*.yaml"))) == 8


def test_a_wrong_answer_is_asked_again(tmp_path: Path, minimal: Path) -> None:
    result = _prompted(minimal, ["donor"], ["Amigos", "", "friends", "ngo", "ZZ", "PT"])
    assert result.exit_code == 0, result.stderr
    assert "'friends' is not one of" in result.stderr
    assert "'ZZ' is not a known country code or name" in result.stderr


def test_prompts_in_the_user_language(minimal: Path) -> None:
    result = _prompted(minimal, ["donor"], ["Amigos", "", "ngo", "PT"], lang="pt")
    assert result.exit_code == 0, result.stderr
    assert "Nome do doador" in result.stderr
    assert "Quem tem de aprovar" in result.stdout


@pytest.mark.parametrize("lang", ["en", "pt", "fr", "es"])
def test_next_steps_explain_the_pull_request(minimal: Path, lang: str) -> None:
    result = _prompted(minimal, ["donor"], ["Amigos", "", "ngo", "PT"], lang=lang)
    # Git words come with what they mean and what to do.
    for word in ("pull request", "branch", "commit", "push"):
        assert word in result.stdout
    assert "GitHub" in result.stdout


def test_a_broken_strategy_is_named_not_a_traceback(cli: Callable[..., Run], minimal: Path) -> None:
    path = minimal / "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
    path.write_text(path.read_text("utf-8").replace("status: adopted", "status: adoptd"), "utf-8")
    result = cli(["new", "need", "cruzinha-2025-2028", "--repo", str(minimal), "--no-input"])
    assert result.exit_code == 2
    assert "has problems that stop it being read" in result.stderr
    assert "run solidarity check" in result.stderr


def test_every_written_file_reads_back_to_the_same_text(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """What new writes is already in the shape a round-trip writer gives it."""
    from io import StringIO

    from solidarity_cli.scaffolding.yamltext import yaml_writer

    root = tmp_path / "rede"
    assert cli(["init", str(root), "--name", "Rede", "--language", "fr"]).exit_code == 0
    for kind, options in STEPS:
        assert cli(["new", kind, "--repo", str(root), "--no-input", *options]).exit_code == 0
    files = sorted((root / "data").rglob("*.yaml"))
    assert len(files) == 8
    for path in files:
        text = path.read_text("utf-8")
        assert "&id" not in text
        assert "*id" not in text
        buffer = StringIO()
        writer = yaml_writer()
        writer.dump(writer.load(text), buffer)
        assert buffer.getvalue() == text, path


def test_no_agreement_on_a_draft_strategy(cli: Callable[..., Run], minimal: Path) -> None:
    path = minimal / "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
    record = YAML(typ="safe").load(path.read_text("utf-8"))
    need = record["needs"][0]["id"]
    text = path.read_text("utf-8").replace("status: adopted", "status: draft", 1)
    path.write_text(text, "utf-8")
    result = cli(["new", "agreement", "--repo", str(minimal), "--no-input",
                  "--needs", f"cruzinha-2025-2028/{need}", "--donor", "fundacao-mar-aberto",
                  "--title", "T"])  # fmt: skip
    assert result.exit_code == 2
    assert "not adopted by the community" in result.stderr


def test_json_output_for_scripts(cli: Callable[..., Run], minimal: Path) -> None:
    result = cli(["new", "donor", "--repo", str(minimal), "--no-input", "--format", "json",
                  "--name", "Amigos do Porto", "--type", "ngo", "--country", "PT"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["path"] == "data/donors/amigos-do-porto.yaml"
    assert (minimal / document["path"]).is_file()
    assert "capacities" in document["todo"]
    assert document["approvers"] == []


def test_a_kind_is_offered_and_taken_in_the_readers_words(minimal: Path) -> None:
    """A volunteer reading Portuguese answers "ONG" or "bairro"; the file holds the code."""
    donor = _prompted(minimal, ["donor"], ["Amigos de Lisboa", "", "grupo informal", "PT"], "pt")
    assert donor.exit_code == 0, donor.stderr
    assert "(particular, grupo informal, ONG, fundação," in donor.stderr
    text = (minimal / "data" / "donors" / "amigos-de-lisboa.yaml").read_text(encoding="utf-8")
    assert "\nkind: informal-group\n" in text
    community = _prompted(
        minimal,
        ["community"],
        ["Cruz de Cima", "", "Bairro", "CV", "CV-PN", "Santo Antão", "Associação", "", "",
         "Maria Lopes", "@maria-lopes"],
        "pt",
    )  # fmt: skip
    assert community.exit_code == 0, community.stderr
    assert "Tipo de comunidade (povoado, bairro, localidade) [povoado]:" in community.stderr
    text = (minimal / "data/communities/cruz-de-cima/community.yaml").read_text(encoding="utf-8")
    assert "\nkind: neighbourhood\n" in text
    given = CliRunner().invoke(
        app,
        ["new", "donor", "--repo", str(minimal), "--no-input", "--name", "Fundo Sul",
         "--type", "fundação", "--country", "BR"],
        env={"NO_COLOR": "1", "SOLIDARITY_LANG": "pt"},
    )  # fmt: skip
    assert given.exit_code == 0, given.stderr
    assert "\nkind: foundation\n" in (minimal / "data/donors/fundo-sul.yaml").read_text("utf-8")


def test_a_kind_not_on_the_list_is_answered_with_the_list_in_the_readers_words(
    minimal: Path,
) -> None:
    refused = _prompted(minimal, ["donor"], ["Amigos", "", "vizinhos"], "pt")
    assert refused.exit_code == 2
    assert "'vizinhos' não é nenhum destes: particular, grupo informal, ONG" in refused.stderr


def test_the_only_record_of_a_kind_is_offered(tmp_path: Path) -> None:
    """A new network with one community: Enter picks it, instead of a silent question again."""
    init = CliRunner().invoke(app, ["init", str(tmp_path / "rede"), "--name", "Rede"])
    assert init.exit_code == 0, init.stderr
    root = tmp_path / "rede"
    community = [
        "Cruz",
        "",
        "",
        "CV",
        "CV-PN",
        "Santo Antão",
        "Associação",
        "",
        "",
        "Maria",
        "maria",
    ]
    assert _prompted(root, ["community"], community).exit_code == 0
    strategy = _prompted(root, ["strategy"], ["", "Plano", "2025-01-01", "2028-12-31", "", ""])
    assert strategy.exit_code == 0, strategy.stderr
    assert "Id of the community [cruz]:" in strategy.stderr
    assert (root / "data/communities/cruz/strategies/cruz-2025-2028.yaml").is_file()
    need = _prompted(root, ["need"], ["", "Cisterna", "", "water", "", "1800", ""])
    assert "Id of the strategy [cruz-2025-2028]:" in need.stderr
    assert need.exit_code == 0, need.stderr


def test_a_dimension_is_taken_by_its_label_in_the_readers_language(minimal: Path) -> None:
    need = _prompted(
        minimal, ["need", "cruzinha-2025-2028"], ["Cisterna nova", "", "agua", "", "1800", ""], "pt"
    )
    assert need.exit_code == 0, need.stderr
    assert "Dimensão do bem-estar (Segurança alimentar, Água):" in need.stderr
    strategy = (
        minimal / "data/communities/cruzinha/strategies" / "cruzinha-2025-2028.yaml"
    ).read_text()
    assert "dimension: water" in strategy.split("cisterna-nova", 1)[1]
