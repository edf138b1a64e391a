"""The IATI file is written as text: what it holds reads back as written, and its bytes are
those lxml writes for the same tree (escaping, indentation, empty elements)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from ruamel.yaml import YAML

from solidarity_cli.exporting import ExportFormat, export
from tests.exporting.conftest import AS_OF

AWKWARD = "A & B <c> \"d\" 'e' ]]> tab\there\r\nnext line, 😀 ação"
URL = "https://example.org/doc.pdf?a=1&b=2"


def _edit(path: Path, change: Any) -> None:
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _awkward(shipped: Path) -> Path:
    def agreement(data: Any) -> None:
        data["title"]["pt"] = AWKWARD
        data["documents"][0]["url"] = URL

    def donor(data: Any) -> None:
        data["name"] = "Val & <Aurore>"

    _edit(shipped / "data/partnerships/achada-grande-centro-formacao/agreement.yaml", agreement)
    _edit(shipped / "data/donors/val-d-aurore-cooperation.yaml", donor)
    return shipped


def test_awkward_texts_read_back_as_written(shipped: Path) -> None:
    data = export(_awkward(shipped), ExportFormat.IATI, AS_OF)["iati-activities.xml"]
    doc = etree.fromstring(data)
    [activity] = [
        a
        for a in doc.iter("iati-activity")
        if a.findtext("iati-identifier", "").endswith("-achada-grande-centro-formacao")
    ]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    titles = {n.get(lang): n.text for n in activity.find("title").iter("narrative")}
    assert titles["pt"] == AWKWARD
    assert URL in {link.get("url") for link in activity.iter("document-link")}
    funders = [o for o in activity.iter("participating-org") if o.get("role") == "1"]
    assert [o.findtext("narrative") for o in funders] == ["Val & <Aurore>"]
    assert [t.findtext("provider-org/narrative") for t in activity.iter("transaction")] == [
        "Val & <Aurore>"
    ] * len(activity.findall("transaction"))


def test_bytes_are_what_lxml_writes_for_the_same_tree(shipped: Path) -> None:
    data = export(_awkward(shipped), ExportFormat.IATI, AS_OF)["iati-activities.xml"]
    tree = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    again = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    assert data == again


def test_each_character_is_escaped_or_refused_as_lxml_does() -> None:
    from solidarity_cli.exporting.iati import _a, _t

    for code in [*range(0x3000), *range(0xE000, 0x10000), 0x1F600, 0x10FFFF]:
        value = f"a{chr(code)}b"
        element = etree.Element("x")
        try:
            element.text = value
            element.set("y", value)
        except ValueError:
            for escape in (_t, _a):
                with pytest.raises(ValueError, match="XML compatible"):
                    escape(value)
            continue
        written = etree.tostring(element, encoding="unicode")
        assert written == f'<x y="{_a(value)}">{_t(value)}</x>', f"U+{code:04X}"
