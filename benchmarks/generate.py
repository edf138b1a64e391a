"""Write a synthetic data repository that is valid under the schemas, for benchmarks.

    python benchmarks/generate.py --communities 2000 --donors 1000 --out /tmp/repo [--seed 1]

The same arguments always give byte-identical files. Only the standard library is used, and text
is written by a small emitter rather than a YAML library, so that 2,000 communities take seconds.
Every date is placed relative to ``REFERENCE_DATE`` (not today), so that the data has the same
meaning whenever it is generated; check it with ``as_of=REFERENCE_DATE``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REFERENCE_DATE = date(2026, 11, 1)
"""The day the synthetic network is described at: past events happen before it."""

PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2028, 12, 31)
BASE_CURRENCY = "EUR"
#: Units of each currency per euro; every amount in the repository uses one of these currencies.
RATES = {"EUR": 1.0, "CVE": 110.265, "BRL": 6.18, "USD": 1.08}

Record = dict[str, Any]

# --------------------------------------------------------------------------------------------
# YAML text
# --------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[^\W\d_][\w .,;()/'\u2019?!%+-]*(?<! )")
#: Plain scalars allowed inside ``{...}`` and ``[...]``: no flow indicators.
_FLOW_PLAIN = re.compile(r"[^\W\d_][\w .;()/'\u2019?!%+-]*(?<! )")
#: Words some YAML 1.1 tools still read as booleans or null: always quoted, for every reader.
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
_LANGUAGES = frozenset({"pt", "en", "fr", "es", "kea"})
WIDTH = 100
#: Longer single-line text is written as a folded block (``>-``), as people do.
FOLD_AT = 88


_SCALARS: dict[tuple[type, Any, bool], str] = {}


def _scalar(value: Any, flow: bool = False) -> str:
    # Most values repeat (codes, dates, template text): remember how each was written.
    key = (value.__class__, value, flow)
    text = _SCALARS.get(key)
    if text is None:
        text = _SCALARS[key] = _write_scalar(value, flow)
    return text


def _write_scalar(value: Any, flow: bool) -> str:
    if isinstance(value, str):
        plain = _FLOW_PLAIN if flow else _PLAIN
        if plain.fullmatch(value) and value.lower() not in _RESERVED:
            return value
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | date)


class _Emitter:
    """Block-style YAML; with ``flow``, small mappings of plain values go on one line."""

    def __init__(self, flow: bool) -> None:
        self.flow = flow
        self.out: list[str] = []

    def inline(self, value: Any) -> str | None:
        """The one-line form of a small mapping or list of plain values, if it has one."""
        if isinstance(value, list):
            if value and all(_is_scalar(v) for v in value):
                return "[" + ", ".join(_scalar(v, flow=True) for v in value) + "]"
            return None
        if (
            not self.flow
            or not isinstance(value, dict)
            or len(value) > 4
            or _LANGUAGES.issuperset(value)
            or not all(_is_scalar(v) for v in value.values())
        ):
            return None
        return "{" + ", ".join(f"{k}: {_scalar(v, flow=True)}" for k, v in value.items()) + "}"

    def mapping(self, record: Record, indent: str) -> None:
        out = self.out
        for key, value in record.items():
            head = f"{indent}{key}:"
            if isinstance(value, dict | list):
                if not value:
                    out.append(f"{head} {'{}' if isinstance(value, dict) else '[]'}")
                    continue
                one_line = self.inline(value)
                if one_line is not None and len(head) + 1 + len(one_line) <= WIDTH:
                    out.append(f"{head} {one_line}")
                elif isinstance(value, dict):
                    out.append(head)
                    self.mapping(value, indent + "  ")
                else:
                    out.append(head)
                    self.sequence(value, indent + "  ")
            elif isinstance(value, str) and "\n" in value:
                out.append(f"{head} |-")
                out.extend(f"{indent}  {line}" if line else "" for line in value.split("\n"))
            elif isinstance(value, str) and len(value) > FOLD_AT and "  " not in value:
                out.append(f"{head} >-")
                out.extend(_fold(value, indent + "  "))
            else:
                out.append(f"{head} {_scalar(value)}")

    def sequence(self, items: list[Any], indent: str) -> None:
        out = self.out
        for item in items:
            if isinstance(item, dict) and item:
                one_line = self.inline(item)
                if one_line is not None and len(indent) + 2 + len(one_line) <= WIDTH:
                    out.append(f"{indent}- {one_line}")
                    continue
                start = len(out)
                self.mapping(item, indent + "  ")
                out[start] = f"{indent}- {out[start][len(indent) + 2 :]}"
            elif isinstance(item, dict | list):
                raise TypeError("empty mappings and nested lists are not written in sequences")
            else:
                out.append(f"{indent}- {_scalar(item)}")


def _fold(text: str, indent: str) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(indent) + len(line) + 1 + len(word) > WIDTH:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(indent + line)
    return lines


def to_yaml(record: Record, *, flow: bool = False, header: str = "") -> str:
    """YAML 1.2 text for a mapping of plain values, dates, lists and mappings."""
    emitter = _Emitter(flow)
    if header:
        emitter.out.append(header)
    emitter.mapping(record, "")
    emitter.out.append("")
    return "\n".join(emitter.out)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def slugify(text: str, limit: int = 48) -> str:
    """A lowercase ASCII slug of ``text``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


def ml(pt: str, en: str) -> dict[str, str]:
    """Multilingual text."""
    return {"pt": pt, "en": en}


def money(amount: float, currency: str, value_date: date | None = None) -> Record:
    """A Money mapping; whole amounts are written without decimals."""
    value: int | float = int(amount) if float(amount).is_integer() else round(amount, 2)
    record: Record = {"amount": value, "currency": currency}
    if value_date is not None:
        record["value_date"] = value_date
    return record


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (days past the 28th fall back to the 28th)."""
    if months == 0:
        return day
    years, month = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month + 1, min(day.day, 28))


def local_amount(eur: float, currency: str) -> int:
    """A euro amount in ``currency``, rounded to a hundred units (ten for euro and dollar)."""
    step = 100 if currency in ("CVE", "BRL") else 10
    return max(step, round(eur * RATES[currency] / step) * step)


def split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` cut into ``parts`` positive integers, roughly even."""
    if parts <= 1:
        return [total]
    weights = [rng.uniform(0.7, 1.3) for _ in range(parts)]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights[:-1]]
    return [*values, total - sum(values)]


# --------------------------------------------------------------------------------------------
# Catalogues, as "|"-separated tables
# --------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


def _table(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


#: id | label pt | label en | description pt | description en
DIMENSIONS = _table("""
saude | Saúde | Health | Acesso a cuidados de saúde e bem-estar físico e mental | Access to health care and physical and mental well-being
educacao | Educação | Education | Aprender ao longo da vida, da creche à formação de adultos | Lifelong learning, from nursery to adult training
agua-e-saneamento | Água e saneamento | Water and sanitation | Água potável todo o ano e saneamento digno | Safe water all year and decent sanitation
seguranca-alimentar | Segurança alimentar | Food security | Comida suficiente, variada e produzida localmente | Enough varied food, grown locally
habitacao | Habitação | Housing | Casas seguras, salubres e acessíveis | Safe, healthy and affordable homes
rendimento-e-trabalho | Rendimento e trabalho | Income and work | Trabalho digno e rendimento estável para as famílias | Decent work and a steady income
ambiente | Ambiente | Environment | Solos, florestas, mar e energia cuidados por todos | Soils, forests, sea and energy cared for by all
cultura-e-identidade | Cultura e identidade | Culture and identity | Tradições vivas, festas, música e memória coletiva | Living traditions, festivals, music and shared memory
participacao | Participação | Participation | Decidir em conjunto e ser ouvido pelas autoridades | Deciding together and being heard by the authorities
lacos-sociais | Laços sociais | Social ties | Vizinhos que se conhecem, se ajudam e cuidam dos mais frágeis | Neighbours who know and help each other and care for the most fragile
""")  # noqa: E501
DIMENSION_IDS = [d[0] for d in DIMENSIONS]
DIMENSION_LABELS = {d[0]: (d[1], d[2]) for d in DIMENSIONS}


@dataclass(frozen=True)
class NeedTemplate:
    """A kind of need with its real DAC 5-digit purpose code and one indicator."""

    slug: str
    pt: str
    en: str
    dimension: str
    dac: str
    kind: str
    cost_eur: tuple[int, int]
    indicator: tuple[str, str, str, str]
    """Indicator id, title pt, title en, IATI measure."""


#: id | title pt | title en | dimension | DAC 5 | kind | cost in EUR (least | most)
#: | indicator id | title pt | title en | measure
NEEDS = [
    NeedTemplate(
        r[0], r[1], r[2], r[3], r[4], r[5], (int(r[6]), int(r[7])), (r[8], r[9], r[10], r[11])
    )
    for r in _table("""
cisterna-comunitaria | Cisterna comunitária | Community water cistern | agua-e-saneamento | 14030 | material | 8000 | 40000 | familias-com-agua | Famílias com água todo o ano | Households with water all year | unit
rede-de-agua | Ligação das casas à rede de água | Household water connections | agua-e-saneamento | 14031 | financial | 15000 | 60000 | casas-ligadas | Casas ligadas à rede | Homes connected | unit
latrinas-familiares | Latrinas familiares | Family latrines | agua-e-saneamento | 14032 | material | 5000 | 25000 | latrinas-construidas | Latrinas construídas | Latrines built | unit
equipamento-posto-saude | Equipamento do posto de saúde | Health post equipment | saude | 12220 | material | 4000 | 20000 | consultas-por-mes | Consultas por mês | Consultations per month | unit
agentes-de-saude | Formação de agentes comunitários de saúde | Training community health workers | saude | 12281 | training | 3000 | 12000 | agentes-formados | Agentes formados | Health workers trained | unit
nutricao-infantil | Programa de nutrição infantil | Child nutrition programme | saude | 12240 | financial | 6000 | 30000 | criancas-acompanhadas | Crianças acompanhadas | Children followed | unit
sala-de-informatica | Sala de informática na escola | School computer room | educacao | 11220 | material | 6000 | 25000 | alunos-com-acesso | Alunos com acesso a computador | Pupils with computer access | percentage
alfabetizacao-de-adultos | Alfabetização de adultos | Adult literacy classes | educacao | 11230 | training | 2000 | 9000 | adultos-alfabetizados | Adultos que aprenderam a ler | Adults who learnt to read | unit
creche-comunitaria | Creche comunitária | Community nursery | educacao | 11240 | financial | 12000 | 50000 | criancas-na-creche | Crianças na creche | Children in the nursery | unit
bolsas-de-estudo | Bolsas de estudo para o secundário | Secondary school grants | educacao | 11320 | financial | 3000 | 15000 | bolseiros | Jovens com bolsa | Young people with a grant | unit
horta-comunitaria | Horta comunitária | Community vegetable garden | seguranca-alimentar | 31161 | material | 2000 | 10000 | familias-com-horta | Famílias que cultivam na horta | Households farming the garden | unit
rega-gota-a-gota | Rega gota a gota | Drip irrigation | seguranca-alimentar | 31140 | technical-expertise | 5000 | 30000 | hectares-regados | Hectares regados | Hectares irrigated | unit
banco-de-sementes | Banco de sementes | Seed bank | seguranca-alimentar | 31150 | material | 1500 | 6000 | variedades-guardadas | Variedades guardadas | Varieties kept | unit
reabilitacao-de-casas | Reabilitação de casas degradadas | Repairing run-down homes | habitacao | 16040 | material | 10000 | 60000 | casas-reabilitadas | Casas reabilitadas | Homes repaired | unit
telhados-seguros | Telhados seguros para a época das chuvas | Safe roofs for the rainy season | habitacao | 16040 | volunteering | 4000 | 20000 | telhados-refeitos | Telhados refeitos | Roofs rebuilt | unit
cooperativa-de-pesca | Cooperativa de pesca | Fishing cooperative | rendimento-e-trabalho | 31320 | financial | 8000 | 40000 | pescadores-associados | Pescadores associados | Fishers in the cooperative | unit
microcredito-mulheres | Fundo de microcrédito para mulheres | Micro-credit fund for women | rendimento-e-trabalho | 24040 | financial | 5000 | 30000 | creditos-concedidos | Créditos concedidos | Loans granted | unit
turismo-rural | Formação em turismo rural | Rural tourism training | rendimento-e-trabalho | 33210 | training | 3000 | 12000 | guias-formados | Guias formados | Guides trained | unit
oficina-de-costura | Oficina de costura | Sewing workshop | rendimento-e-trabalho | 32130 | material | 3000 | 15000 | postos-de-trabalho | Postos de trabalho criados | Jobs created | unit
energia-solar | Energia solar para a escola e o centro comunitário | Solar power for the school and community centre | ambiente | 23230 | technical-expertise | 8000 | 45000 | potencia-instalada | Potência instalada (kW) | Installed power (kW) | unit
reflorestacao | Reflorestação das encostas | Replanting the hillsides | ambiente | 31220 | volunteering | 2000 | 12000 | arvores-plantadas | Árvores plantadas | Trees planted | unit
gestao-de-residuos | Recolha e separação de resíduos | Waste collection and sorting | ambiente | 14050 | technical-expertise | 4000 | 20000 | lixo-separado | Resíduos separados | Waste sorted | percentage
centro-cultural | Centro cultural da comunidade | Community cultural centre | cultura-e-identidade | 16061 | financial | 15000 | 70000 | atividades-por-ano | Atividades culturais por ano | Cultural activities per year | unit
grupo-de-batuque | Instrumentos e trajes do grupo de batuque | Instruments and costumes for the batuque group | cultura-e-identidade | 16061 | material | 1000 | 5000 | atuacoes | Atuações do grupo | Group performances | unit
memoria-coletiva | Arquivo de memória coletiva | Shared memory archive | cultura-e-identidade | 16061 | twinning | 2000 | 8000 | testemunhos-gravados | Testemunhos gravados | Testimonies recorded | unit
radio-comunitaria | Rádio comunitária | Community radio | participacao | 22030 | technical-expertise | 5000 | 20000 | horas-de-emissao | Horas de emissão por semana | Broadcast hours per week | unit
formacao-de-liderancas | Formação de lideranças comunitárias | Community leadership training | participacao | 15150 | training | 2000 | 9000 | liderancas-formadas | Lideranças formadas | Leaders trained | unit
orcamento-participativo | Orçamento participativo do bairro | Neighbourhood participatory budget | participacao | 15112 | twinning | 2000 | 10000 | participantes | Participantes nas assembleias | Assembly participants | unit
internet-comunitaria | Internet comunitária | Community internet | participacao | 22040 | technical-expertise | 4000 | 18000 | casas-com-internet | Casas com internet | Homes online | unit
apoio-a-idosos | Rede de apoio a idosos isolados | Support network for isolated elders | lacos-sociais | 16010 | volunteering | 2000 | 10000 | idosos-visitados | Idosos visitados | Elders visited | unit
espaco-jovem | Espaço jovem | Youth space | lacos-sociais | 16010 | financial | 6000 | 25000 | jovens-participantes | Jovens participantes | Young participants | unit
prevencao-violencia | Prevenção da violência contra mulheres e raparigas | Preventing violence against women and girls | lacos-sociais | 15180 | training | 3000 | 12000 | pessoas-sensibilizadas | Pessoas sensibilizadas | People reached | unit
""")  # noqa: E501
]
NEED_BY_SLUG = {t.slug: t for t in NEEDS}

#: ISO 3166-2 code | municipality | island | latitude | longitude
CV_MUNICIPALITIES = [
    (r[0], r[1], r[2], float(r[3]), float(r[4]))
    for r in _table("""
CV-PR | Praia | Santiago | 14.93 | -23.51
CV-CA | Santa Catarina | Santiago | 15.10 | -23.68
CV-SD | São Domingos | Santiago | 15.02 | -23.56
CV-SO | São Lourenço dos Órgãos | Santiago | 15.05 | -23.61
CV-SS | São Salvador do Mundo | Santiago | 15.07 | -23.65
CV-CR | Santa Cruz | Santiago | 15.13 | -23.55
CV-SM | São Miguel | Santiago | 15.18 | -23.60
CV-TA | Tarrafal | Santiago | 15.28 | -23.75
CV-RS | Ribeira Grande de Santiago | Santiago | 14.92 | -23.60
CV-SF | São Filipe | Fogo | 14.90 | -24.50
CV-CF | Santa Catarina do Fogo | Fogo | 14.86 | -24.38
CV-MO | Mosteiros | Fogo | 15.03 | -24.33
CV-BR | Brava | Brava | 14.85 | -24.70
CV-MA | Maio | Maio | 15.22 | -23.17
CV-BV | Boa Vista | Boa Vista | 16.10 | -22.80
CV-SL | Sal | Sal | 16.70 | -22.93
CV-RB | Ribeira Brava | São Nicolau | 16.62 | -24.30
CV-TS | Tarrafal de São Nicolau | São Nicolau | 16.57 | -24.36
CV-SV | São Vicente | São Vicente | 16.86 | -24.98
CV-RG | Ribeira Grande | Santo Antão | 17.15 | -25.07
CV-PA | Paul | Santo Antão | 17.13 | -25.03
CV-PN | Porto Novo | Santo Antão | 17.02 | -25.06
""")
]
CV_ISLANDS = list(dict.fromkeys(m[2] for m in CV_MUNICIPALITIES))
CV_ISLAND_WEIGHTS = {"Santiago": 6, "Santo Antão": 3, "Fogo": 3, "São Vicente": 2}

#: ISO 3166-2 code | state | latitude | longitude
BR_STATES = [
    (r[0], r[1], float(r[2]), float(r[3]))
    for r in _table("""
BR-BA | Bahia | -12.5 | -41.7
BR-PE | Pernambuco | -8.3 | -37.9
BR-CE | Ceará | -5.2 | -39.5
BR-PB | Paraíba | -7.1 | -36.7
BR-RN | Rio Grande do Norte | -5.8 | -36.5
BR-MA | Maranhão | -4.9 | -45.3
BR-PI | Piauí | -7.7 | -42.7
BR-AL | Alagoas | -9.6 | -36.6
BR-SE | Sergipe | -10.6 | -37.4
BR-MG | Minas Gerais | -18.1 | -44.4
""")
]

CV_PLACE_HEADS = _words(
    "Achada Ribeira Chã Lomba Fajã Ponta Cova Covão Alto Monte Pico Rincão Porto Vila Tabuleiro"
)
BR_PLACE_HEADS = _words(
    "Quilombo Comunidade Assentamento Vila Sítio Povoado Bairro Baixa Serra Lagoa Riacho"
)
PLACE_TAILS = [
    "Leite", "Grande", "Fria", "das Pedras", "do Mato", "de Santo António", "da Cruz", "Branca",
    "do Meio", "Verde", "dos Órgãos", "Funda", "de Baixo", "de Cima", "da Igreja", "do Engenho",
    "Nova", "Velha", "das Flores", "do Sol", "da Esperança", "dos Coqueiros", "do Rio",
    "da Lagoa", "Seca", "do Norte", "de São João", "de São Tomé", "dos Reis", "do Porto",
]  # fmt: skip
FIRST_NAMES = _words(
    "Maria José Ana João Antónia Manuel Francisca Carlos Joana Paulo Rosa Pedro Helena Luís "
    "Fátima Domingos Lúcia Arlindo Celeste Nelson Graça Silvino Eunice Adilson Raimunda "
    "Severino Conceição Edivaldo Marlene Josefa"
)
LAST_NAMES = _words(
    "Tavares Semedo Furtado Varela Monteiro Lopes Fernandes Gomes Correia Mendes Rodrigues "
    "Silva Santos Oliveira Souza Pereira Almeida Barbosa Carvalho Moreira Cabral Delgado "
    "Andrade Brito Évora Livramento Nascimento Rocha"
)
DONOR_CITIES = {
    "PT": ["Lisboa", "Porto", "Coimbra", "Braga", "Setúbal", "Amadora"],
    "FR": ["Paris", "Lyon", "Marseille", "Nantes", "Toulouse"],
    "LU": ["Luxembourg", "Esch-sur-Alzette", "Differdange"],
    "NL": ["Rotterdam", "Amsterdam", "Den Haag"],
    "DE": ["Berlin", "Hamburg", "Köln"],
    "ES": ["Madrid", "Vigo", "Barcelona"],
    "IT": ["Roma", "Milano", "Torino"],
    "CH": ["Genève", "Lausanne", "Zürich"],
    "BE": ["Bruxelles", "Liège"],
    "US": ["Boston", "Brockton", "Pawtucket", "New Bedford"],
    "BR": ["Salvador", "Recife", "Fortaleza", "São Paulo", "Belo Horizonte"],
    "CV": ["Praia", "Mindelo", "Assomada", "Espargos"],
}
DONOR_COUNTRIES = list(DONOR_CITIES)
COUNTRY_CURRENCY = {"US": "USD", "BR": "BRL", "CV": "CVE"}

#: kind, weight, EUR range of its money capacity, share of donors of the kind that give money
DONOR_KINDS = [
    ("individual", 30, (500, 6000), 0.9),
    ("informal-group", 15, (2000, 25000), 0.9),
    ("ngo", 18, (60000, 600000), 0.95),
    ("foundation", 10, (150000, 2000000), 1.0),
    ("crowdfunding-platform", 5, (30000, 300000), 1.0),
    ("company", 10, (30000, 400000), 0.85),
    ("public-body", 6, (300000, 5000000), 1.0),
    ("twinned-municipality", 6, (30000, 250000), 0.9),
]

#: IATI condition type | id | text pt | text en
CONDITIONS = _table("""
policy | relatorio-publico | Os relatórios de acompanhamento são públicos. | Monitoring reports are public.
performance | metas-anuais | As metas anuais dos indicadores são revistas em conjunto. | Yearly indicator targets are reviewed together.
fiduciary | conta-separada | Os fundos ficam numa conta bancária própria da parceria. | Funds are kept in a bank account of the partnership's own.
fiduciary | revisao-de-contas | Uma revisão simples das contas no fim de cada ano. | A simple review of the accounts at the end of each year.
policy | igualdade-genero | Metade das vagas de formação é reservada a mulheres. | Half of the training places are kept for women.
performance | visita-anual | Uma visita conjunta por ano, acordada com a comunidade. | One joint visit a year, agreed with the community.
""")  # noqa: E501

#: text pt | text en
EXPENSES = _table("""
Compra de materiais de construção | Building materials
Transporte de materiais | Transport of materials
Formadores e deslocações | Trainers and travel
Equipamento | Equipment
Refeições dos dias de trabalho coletivo | Meals on collective work days
""")
LESSONS = _table("""
Comprar os materiais em conjunto com outras comunidades baixou os custos. | Buying materials together with other communities lowered costs.
As reuniões curtas e frequentes mantiveram os jovens envolvidos. | Short, frequent meetings kept young people involved.
Registar as contas em público reforçou a confiança na associação. | Keeping the accounts in public strengthened trust in the association.
""")  # noqa: E501

STATUSES = [
    ("proposed", 12), ("negotiating", 8), ("signed", 8), ("active", 34), ("suspended", 3),
    ("completed", 25), ("terminated", 3), ("cancelled", 4), ("declined", 3),
]  # fmt: skip
STARTED = ("active", "suspended", "completed", "terminated")
AGREED = ("signed", *STARTED)
CADENCES = {3: "quarterly", 6: "semiannual", 12: "annual"}


def _yearly(start: date, end: date) -> list[tuple[date, date]]:
    """``start`` to ``end`` cut at each new year."""
    return [
        (max(start, date(year, 1, 1)), min(end, date(year, 12, 31)))
        for year in range(start.year, end.year + 1)
    ]


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# --------------------------------------------------------------------------------------------
# The repository
# --------------------------------------------------------------------------------------------


@dataclass
class _Community:
    id: str
    name: str
    country: str
    subdivision: str
    island: str | None
    platform: str
    currency: str
    strategy: str = ""
    needs: list[Record] = field(default_factory=list)
    free_needs: list[Record] = field(default_factory=list)


@dataclass
class _Donor:
    id: str
    country: str
    countries: list[str]
    subdivisions: list[str]
    conditions: list[list[str]]
    currency: str = ""
    capacity_eur: float = 0.0
    per_partnership_eur: tuple[float, float] = (0.0, 0.0)
    declared_eur: float = 0.0
    """The capacity as written in the donor's file (rounded to whole units), in euro."""
    committed_eur: float = 0.0
    """What its agreements commit, as written in their files (rounded), in euro."""


class _Builder:
    """Builds every record as plain data, in a fixed order driven by one random generator."""

    def __init__(self, communities: int, donors: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_communities = communities
        self.n_donors = donors
        self.files: dict[str, Record] = {}
        self.communities: list[_Community] = []
        self.by_platform: dict[str, list[_Community]] = {}
        self.donors: list[_Donor] = []

    # -- people and places ---------------------------------------------------------------------

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # -- settings and vocabulary ---------------------------------------------------------------

    def settings(self) -> None:
        self.files["solidarity.yaml"] = {
            "version": 1,
            "name": ml(
                "Rede de Solidariedade Comunitária (dados sintéticos)",
                "Community Solidarity Network (synthetic data)",
            ),
            "default_language": "pt",
            "languages": ["pt", "en", "kea"],
            "base_currency": BASE_CURRENCY,
            # Every value date in the repository (2024 on) has a rate; BRL and USD change
            # once a year, as the network's finance committee fixes them.
            "exchange_rates": [
                {"currency": code, "units_per_base": rate, "valid_from": day, "source": source}
                for code, rate, day, source in (
                    ("CVE", RATES["CVE"], date(1999, 1, 1), "paridade fixa com o euro"),
                    ("BRL", RATES["BRL"], date(2024, 1, 1), "taxa de referência de 2024"),
                    ("BRL", 6.3, date(2026, 1, 1), "taxa de referência de 2026"),
                    ("USD", RATES["USD"], date(2024, 1, 1), "taxa de referência de 2024"),
                    ("USD", 1.16, date(2026, 1, 1), "taxa de referência de 2026"),
                )
            ],
        }
        self.files["data/vocabularies/dimensions.yaml"] = {
            "id": "dimensions",
            "title": ml("Dimensões do bem-estar", "Well-being dimensions"),
            "description": ml(
                "As dimensões em que as comunidades descrevem o que bem-estar quer dizer para "
                "elas. Cada necessidade e cada critério de bem-estar escolhe uma.",
                "The dimensions in which communities describe what well-being means to them. "
                "Every need and every well-being criterion picks one.",
            ),
            "terms": [
                {"id": i, "label": ml(pt, en), "description": ml(dpt, den)}
                for i, pt, en, dpt, den in DIMENSIONS
            ],
        }

    # -- platforms and communities -------------------------------------------------------------

    def platforms(self) -> list[tuple[str, str, list[tuple[str, str, float, float]], str | None]]:
        """Plan platforms: (id, country, [(subdivision, place, lat, lon)], island)."""
        rng = self.rng
        count = max(1, round(self.n_communities / 50))
        plans = []
        for index in range(1, count + 1):
            if index % 5 in (1, 3, 0) or count == 1:
                island = _weighted(rng, [(i, CV_ISLAND_WEIGHTS.get(i, 1)) for i in CV_ISLANDS])
                munis = [m for m in CV_MUNICIPALITIES if m[2] == island]
                chosen = rng.sample(munis, min(len(munis), rng.randint(1, 3)))
                plans.append(
                    (
                        f"plataforma-{slugify(island)}-{index:02d}",
                        "CV",
                        [(m[0], m[1], m[3], m[4]) for m in chosen],
                        island,
                    )
                )
            else:
                state = rng.choice(BR_STATES)
                plans.append(
                    (
                        f"rede-territorial-{slugify(state[1])}-{index:02d}",
                        "BR",
                        [(state[0], state[1], state[2], state[3])],
                        None,
                    )
                )
        return plans

    def build_communities(self) -> None:
        rng = self.rng
        plans = self.platforms()
        for index in range(1, self.n_communities + 1):
            pid, country, places, island = plans[(index - 1) % len(plans)]
            subdivision, place, lat, lon = rng.choice(places)
            heads = CV_PLACE_HEADS if country == "CV" else BR_PLACE_HEADS
            name = f"{rng.choice(heads)} {rng.choice(PLACE_TAILS)}"
            cid = f"{slugify(name, 40)}-{index:04d}"
            community = _Community(
                cid, name, country, subdivision, island, pid, "CVE" if country == "CV" else "BRL"
            )
            self.communities.append(community)
            self.by_platform.setdefault(pid, []).append(community)
            self.files[f"data/communities/{cid}/community.yaml"] = self.community(
                community, place, lat, lon
            )
        self.federation(plans)
        for pid, country, places, island in plans:
            self.platform(pid, country, places, island)

    def community(self, c: _Community, place: str, lat: float, lon: float) -> Record:
        rng = self.rng
        population = rng.randint(150, 4000)
        founded = date(rng.randint(1976, 2018), rng.randint(1, 12), rng.randint(1, 28))
        source = "INE Cabo Verde, Censo 2021" if c.country == "CV" else "IBGE, Censo 2022"
        year = 2021 if c.country == "CV" else 2022
        record: Record = {
            "id": c.id,
            "name": c.name,
            "kind": rng.choice(["village", "village", "neighbourhood", "locality"]),
            "country": c.country,
            "subdivision": c.subdivision,
        }
        if c.island is not None:
            record["island"] = c.island
        record |= {
            "location": {
                "lat": round(lat + rng.uniform(-0.08, 0.08), 2),
                "lon": round(lon + rng.uniform(-0.08, 0.08), 2),
                "precision": "approximate",
            },
            "population": {"count": population, "year": year, "source": source},
            "households": {
                "count": population // rng.randint(3, 5),
                "year": year,
                "source": source,
            },
            "association": {
                "name": f"Associação Comunitária para o Desenvolvimento de {c.name}",
                "legal_form": "associação sem fins lucrativos",
                "founded": founded,
                "registration": f"{c.country}-ASC-{rng.randint(100, 99999):05d}",
                "governance": {
                    "decision_body": "assembleia geral",
                    "board": f"direção de {rng.choice([5, 7, 9])} membros",
                    "meets": rng.choice(
                        ["todos os meses", "de dois em dois meses", "todos os trimestres"]
                    ),
                    "women_in_board": rng.randint(1, 5),
                },
            },
            "platforms": [c.platform],
            "languages": ["pt", "kea"] if c.country == "CV" else ["pt"],
        }
        if rng.random() < 0.7:
            record["solidarity_fund"] = {
                "exists": True,
                "balance": money(
                    local_amount(rng.uniform(50, 3000), c.currency),
                    c.currency,
                    REFERENCE_DATE - timedelta(days=rng.randint(1, 120)),
                ),
                "rules": ml(
                    "Cada família contribui todos os meses; o fundo apoia quem passa por uma "
                    "emergência e devolve à rede parte do que recebe.",
                    "Every household gives each month; the fund helps those facing an emergency "
                    "and gives part of what it receives back to the network.",
                ),
            }
        else:
            record["solidarity_fund"] = {"exists": False}
        if rng.random() < 0.25:
            record["private"] = ["location", "households"]
        record["maintainers"] = [self.maintainer(c) for _ in range(rng.randint(1, 2))]
        record["description"] = ml(
            f"{c.name} é uma comunidade de {population} habitantes em {place}. A associação "
            f"reúne-se em assembleia geral e faz parte da plataforma {c.platform}.",
            f"{c.name} is a community of {population} people in {place}. Its association meets "
            f"in a general assembly and belongs to the {c.platform} platform.",
        )
        return record

    def maintainer(self, c: _Community) -> Record:
        name = self.person()
        first, last = name.split(" ", 1)
        handle = f"{slugify(first)[:1]}{slugify(last)}-{self.rng.randint(1, 9999)}"
        return {
            "name": name,
            "github": handle,
            "role": self.rng.choice(
                ["presidente da associação", "secretária da associação", "tesoureiro"]
            ),
        }

    def federation(self, plans: list[Any]) -> None:
        rng = self.rng
        members = [
            {
                "name": f"Plataforma {pid}",
                "sector": "community",
                "platform": pid,
                "joined": date(rng.randint(2012, 2024), rng.randint(1, 12), 1),
            }
            for pid, *_ in plans
        ]
        self.files["data/platforms/federacao-nacional.yaml"] = {
            "id": "federacao-nacional",
            "name": ml(
                "Federação Nacional das Associações Comunitárias",
                "National Federation of Community Associations",
            ),
            "kind": "national-federation",
            "scope": {"country": "CV"},
            "founded": date(2011, 6, 18),
            "description": ml(
                "Reúne as plataformas de diálogo microrregionais e as redes territoriais irmãs.",
                "Brings together the micro-regional dialogue platforms and sister territory "
                "networks.",
            ),
            "members": members,
        }

    def platform(
        self,
        pid: str,
        country: str,
        places: list[tuple[str, str, float, float]],
        island: str | None,
    ) -> None:
        rng = self.rng
        where = ", ".join(p[1] for p in places)
        members: list[Record] = [
            {
                "name": c.name,
                "sector": "community",
                "community": c.id,
                "joined": date(rng.randint(2015, 2025), rng.randint(1, 12), 1),
            }
            for c in self.by_platform.get(pid, [])
        ]
        members += [
            {"name": f"Câmara Municipal de {places[0][1]}", "sector": "public"},
            {"name": f"Escola Secundária de {places[-1][1]}", "sector": "public"},
            {"name": "Universidade parceira, núcleo de extensão", "sector": "academic"},
        ]
        scope: Record = {"country": country, "subdivisions": [p[0] for p in places]}
        if island is not None:
            scope["islands"] = [island]
        self.files[f"data/platforms/{pid}.yaml"] = {
            "id": pid,
            "name": ml(f"Plataforma de diálogo de {where}", f"{where} dialogue platform"),
            "kind": "micro-regional-platform" if country == "CV" else "territory-network",
            "scope": scope,
            "parent": "federacao-nacional",
            "founded": date(rng.randint(2012, 2022), rng.randint(1, 12), rng.randint(1, 28)),
            "description": ml(
                f"Espaço onde as comunidades de {where}, a câmara, escolas e parceiros "
                "combinam prioridades e acompanham as parcerias.",
                f"Where the communities of {where}, the municipality, schools and partners "
                "agree priorities and follow partnerships.",
            ),
            "members": members,
        }

    # -- strategies ----------------------------------------------------------------------------

    def build_strategies(self) -> None:
        for c in self.communities:
            c.strategy = f"{c.id}-2025-2028"
            self.strategy(c)

    def strategy(self, c: _Community) -> None:
        rng = self.rng
        count = rng.choice([3, 4, 4, 5, 5, 5, 6, 6, 7, 8])
        templates = rng.sample(NEEDS, count)
        priorities = list(range(1, count + 1))
        rng.shuffle(priorities)
        for template, priority in zip(templates, priorities, strict=True):
            c.needs.append(self.need(c, template, priority))
        c.free_needs = list(c.needs)
        dims = list(dict.fromkeys(n["dimension"] for n in c.needs))
        adopted = date(2024, rng.randint(9, 12), rng.randint(1, 28))
        participants = rng.randint(25, 300)
        first, second = (DIMENSION_LABELS[d] for d in (dims + dims)[:2])
        record: Record = {
            "id": c.strategy,
            "title": ml(
                f"Estratégia coletiva de {c.name} 2025-2028",
                f"{c.name} collective strategy 2025-2028",
            ),
            "period": {"start": PERIOD_START, "end": PERIOD_END},
            "status": "adopted",
            "adoption": {
                "body": "assembleia geral",
                "date": adopted,
                "participants": {
                    "count": participants,
                    "women": participants // 2,
                    "youth": participants // 4,
                },
                "minutes": {
                    "title": ml(
                        f"Ata da assembleia geral de {adopted}",
                        f"Minutes of the general assembly of {adopted}",
                    ),
                    "url": f"https://example.org/atas/{c.id}/{adopted}.pdf",
                    "language": "pt",
                    "date": adopted,
                },
            },
            "languages": ["pt", "en"],
            "summary": ml(
                f"A estratégia foi construída em {rng.randint(3, 12)} reuniões de bairro e dá "
                f"prioridade a {first[0].lower()} e {second[0].lower()}. Lista {count} "
                "necessidades que a comunidade não consegue resolver sozinha.",
                f"The strategy was built in neighbourhood meetings and gives priority to "
                f"{first[1].lower()} and {second[1].lower()}. It lists {count} needs the "
                "community cannot meet alone.",
            ),
            "wellbeing_criteria": [
                {
                    "text": ml(
                        f"Em 2028 as famílias sentem melhorias em {DIMENSION_LABELS[d][0].lower()}",
                        f"By 2028 households feel better off in {DIMENSION_LABELS[d][1].lower()}",
                    ),
                    "dimension": d,
                }
                for d in dims[:2]
            ],
            "objectives": [
                {
                    "id": f"o{i}",
                    "text": ml(
                        f"Melhorar {DIMENSION_LABELS[d][0].lower()} em {c.name}",
                        f"Improve {DIMENSION_LABELS[d][1].lower()} in {c.name}",
                    ),
                }
                for i, d in enumerate(dims[:3], 1)
            ],
            "own_resources": {
                "labour_days": rng.randint(100, 2000),
                "cash": money(local_amount(rng.uniform(300, 4000), c.currency), c.currency),
                "materials": ml(
                    "Pedra, areia e ferramentas da comunidade",
                    "Stone, sand and the community's tools",
                ),
            },
            "needs": c.needs,
        }
        path = f"data/communities/{c.id}/strategies/{c.strategy}.yaml"
        self.files[path] = record

    def need(self, c: _Community, t: NeedTemplate, priority: int) -> Record:
        rng = self.rng
        cost = local_amount(rng.uniform(*t.cost_eur), c.currency)
        own = local_amount(cost / RATES[c.currency] * rng.uniform(0.05, 0.3), c.currency)
        start = add_months(PERIOD_START, rng.randint(0, 30))
        end = min(add_months(start, rng.randint(6, 24)), PERIOD_END)
        people = rng.randint(20, 900)
        need: Record = {"id": t.slug, "title": ml(t.pt, t.en)}
        if rng.random() < 0.5:
            need["description"] = ml(
                f"Decidido em assembleia geral como prioridade {priority}.",
                f"Decided in the general assembly as priority {priority}.",
            )
        need |= {
            "dimension": t.dimension,
            "sectors": [{"vocabulary": "dac-5", "code": t.dac}],
            "kind": t.kind,
            "estimated_cost": money(cost, c.currency, date(2024, 10, 1)),
            "own_contribution": money(min(own, cost), c.currency),
            "priority": priority,
            "timeframe": {"start": start, "end": end} if rng.random() < 0.6 else {"end": end},
            "beneficiaries": {"count": people},
        }
        if t.kind not in ("financial", "material"):
            # Person-days asked, taken from numbers already drawn to keep the random stream.
            need["days"] = 3 + people % 38
        if rng.random() < 0.4:
            need["expected_results"] = [
                ml(
                    f"{t.indicator[1]}: meta acordada com a comunidade",
                    f"{t.indicator[2]}: target agreed with the community",
                ),
            ]
        need["status"] = "open"
        return need

    # -- donors --------------------------------------------------------------------------------

    def build_donors(self) -> None:
        for index in range(1, self.n_donors + 1):
            self.donor(index)

    def donor(self, index: int) -> None:
        rng = self.rng
        # The first donors take every kind in turn, so that even a small repository has all.
        if index <= len(DONOR_KINDS):
            kind, _, (low, high), money_share = DONOR_KINDS[index - 1]
        else:
            kind, _, (low, high), money_share = _weighted(rng, [(k, k[1]) for k in DONOR_KINDS])
        country = rng.choice(DONOR_COUNTRIES)
        city = rng.choice(DONOR_CITIES[country])
        name = {
            "individual": self.person(),
            "informal-group": f"Amigos de Cabo Verde em {city}",
            "ngo": f"ONGD {rng.choice(['Ponte', 'Mãos', 'Caminhos', 'Raízes'])} "
            f"{rng.choice(['Solidária', 'Unidas', 'do Sul', 'Comuns'])}",
            "foundation": f"Fundação {rng.choice(LAST_NAMES)}",
            "crowdfunding-platform": f"{rng.choice(['Juntos', 'Mutirão', 'Djunta Mon'])} "
            "Crowdfunding",
            "company": f"{rng.choice(LAST_NAMES)} & Filhos, Lda.",
            "public-body": f"Agência de Cooperação de {city}",
            "twinned-municipality": f"Município de {city}",
        }[kind]
        # Individuals stay anonymous unless they consented: their id must not name them either.
        named = kind != "individual" or rng.random() < 0.2
        did = f"{slugify(name, 40)}-{index:04d}" if named else f"doador-{index:04d}"
        currency = COUNTRY_CURRENCY.get(country, "EUR")
        countries = _weighted(rng, [([], 4), (["CV"], 3), (["BR"], 2), (["CV", "BR"], 2)])
        subdivisions: list[str] = []
        if countries == ["BR"] and rng.random() < 0.3:
            subdivisions = sorted(rng.sample([s[0] for s in BR_STATES], 3))
        conditions = rng.sample(CONDITIONS, rng.choice([0, 0, 1, 1, 2]))
        donor = _Donor(did, country, countries, subdivisions, conditions)
        record: Record = {"id": did, "kind": kind, "country": country}
        if named:
            record["name"] = name
        else:
            # The public record carries no real name: a reference to the private register.
            record["anonymous"] = True
            record["private_reference"] = f"SEC-{index:04d}"
        if named:
            record["anonymous"] = False
            record["consent"] = {
                "publish_name": True,
                "recorded_on": date(
                    rng.randint(2022, 2024), rng.randint(1, 12), rng.randint(1, 28)
                ),
            }
        if kind != "individual":
            record["website"] = f"https://{slugify(name, 30)}.example.org/"
        since = rng.randint(1995, 2023)
        who = (name, name) if named else ("Este doador", "This donor")
        record["description"] = ml(
            f"{who[0]} apoia comunidades organizadas em Cabo Verde e no Brasil desde {since}.",
            f"{who[1]} has supported organised communities in Cape Verde and Brazil since {since}.",
        )
        record["languages"] = ["pt", "en"] if rng.random() < 0.6 else ["pt"]
        capacities: list[Record] = []
        if rng.random() < money_share:
            total_eur = rng.uniform(low, high)
            top_eur = min(total_eur, max(low, total_eur * rng.uniform(0.15, 0.5)))
            floor_eur = top_eur * rng.choice([0, 0, 0.05, 0.1])
            donor.currency = currency
            donor.capacity_eur = total_eur
            donor.declared_eur = local_amount(total_eur, currency) / RATES[currency]
            donor.per_partnership_eur = (floor_eur, top_eur)
            capacities.append(
                {
                    "kind": "money",
                    "amount": {
                        "min": 0,
                        "max": local_amount(total_eur, currency),
                        "currency": currency,
                    },
                    "period": {"start": PERIOD_START, "end": date(2027, 12, 31)},
                    "recurrence": "once",
                    "per_partnership": {
                        "min": local_amount(floor_eur, currency) if floor_eur else 0,
                        "max": local_amount(top_eur, currency),
                        "currency": currency,
                    },
                    "description": ml(
                        "Donativos para necessidades priorizadas pelas comunidades",
                        "Grants for needs the communities put first",
                    ),
                }
            )
        for kind_of in rng.sample(
            ["technical-expertise", "training", "volunteering", "twinning", "material", "advocacy"],
            rng.randint(0, 2),
        ):
            capacities.append(
                {
                    "kind": kind_of,
                    "days": rng.randint(5, 120),
                    "period": {
                        "start": date(2025, rng.randint(1, 12), 1),
                        "end": date(rng.randint(2026, 2028), 12, 31),
                    },
                    "recurrence": rng.choice(["once", "yearly"]),
                }
            )
        record["capacities"] = capacities
        dims = rng.sample(DIMENSION_IDS, rng.randint(0, 3))
        kinds = rng.sample(
            [
                "financial",
                "material",
                "technical-expertise",
                "training",
                "twinning",
                "volunteering",
            ],
            rng.randint(0, 3),
        )
        preferences: Record = {
            "countries": countries,
            "subdivisions": subdivisions,
            "dimensions": dims,
            "sectors": [
                {"vocabulary": "dac-5", "code": t.dac} for t in rng.sample(NEEDS, rng.randint(0, 2))
            ],
            "need_kinds": kinds,
            "languages": ["pt"],
        }
        record["preferences"] = {k: v for k, v in preferences.items() if v}
        record["conditions"] = [
            {"id": cid, "type": ctype, "text": ml(pt, en)} for ctype, cid, pt, en in conditions
        ]
        self.donors.append(donor)
        self.files[f"data/donors/{did}.yaml"] = record

    # -- agreements and reports ----------------------------------------------------------------

    def build_agreements(self) -> None:
        rng = self.rng
        target = round(self.n_communities * 1.5)
        order = list(self.communities)
        extra = rng.sample(self.communities, min(len(self.communities), target - len(order)))
        plan = order + extra
        plan += [rng.choice(self.communities) for _ in range(max(0, target - len(plan)))]
        funders_by_country: dict[str, list[_Donor]] = {}
        for country in ("CV", "BR"):
            funders_by_country[country] = [
                d
                for d in self.donors
                if d.capacity_eur > 0 and (not d.countries or country in d.countries)
            ]
        counters: dict[str, int] = {}
        for c in plan:
            if not c.free_needs:
                continue
            counters[c.id] = counters.get(c.id, 0) + 1
            self.agreement(c, counters[c.id], funders_by_country[c.country])

    def pick_donor(self, c: _Community, gap_eur: float, pool: list[_Donor]) -> _Donor | None:
        """A donor whose preferences allow the community and with money left."""
        for _ in range(25):
            if not pool:
                return None
            donor = self.rng.choice(pool)
            if donor.subdivisions and c.subdivision not in donor.subdivisions:
                continue
            low = donor.per_partnership_eur[0]
            if low * 1.03 <= gap_eur and donor.capacity_eur * 0.97 >= max(
                low * 1.03, 0.2 * gap_eur, 1
            ):
                return donor
        return None

    def agreement(self, c: _Community, number: int, pool: list[_Donor]) -> None:
        rng = self.rng
        needs = [c.free_needs.pop(rng.randrange(len(c.free_needs)))]
        if c.free_needs and rng.random() < 0.3:
            needs.append(c.free_needs.pop(rng.randrange(len(c.free_needs))))
        gap = sum(n["estimated_cost"]["amount"] - n["own_contribution"]["amount"] for n in needs)
        gap_eur = gap / RATES[c.currency] * rng.uniform(0.5, 0.95)
        status = _weighted(rng, STATUSES)
        donor = self.pick_donor(c, gap_eur, pool)
        if donor is None:
            c.free_needs.extend(needs)
            return
        low, high = donor.per_partnership_eur
        # Margins keep rounding to whole local units inside the donor's limits.
        budget_eur = max(low * 1.03, min(gap_eur, high * 0.97, donor.capacity_eur * 0.97))
        budget_total = local_amount(budget_eur, c.currency)
        if status not in ("proposed", "cancelled", "declined"):
            donor.capacity_eur -= budget_eur
            # Rounding to whole units, here and in the donor's file, must not carry the
            # commitments past the capacity the file declares (PA006 would say so).
            step = 100 if c.currency in ("CVE", "BRL") else 10
            room = donor.declared_eur - donor.committed_eur
            while budget_total > step and budget_total / RATES[c.currency] > room:
                budget_total -= step
            donor.committed_eur += budget_total / RATES[c.currency]
        aid = f"{c.id}-{number}"
        plan = _Dates.plan(rng, status)
        for need in needs:
            frame = need["timeframe"]
            if "start" in frame:
                frame["start"] = min(frame["start"], max(plan.planned_start, PERIOD_START))
            frame["end"] = max(frame["end"], min(plan.planned_end, PERIOD_END))
            if status == "completed":
                need["status"] = "met"
        title_pt = " e ".join(n["title"]["pt"].lower() for n in needs)
        title_en = " and ".join(n["title"]["en"].lower() for n in needs)
        record: Record = {
            "id": aid,
            "title": ml(
                f"Parceria para {title_pt} em {c.name}",
                f"Partnership for {title_en.lower()} in {c.name}",
            ),
            "community": c.id,
            "strategy": c.strategy,
            "needs": [f"{c.strategy}/{n['id']}" for n in needs],
            "donor": donor.id,
            "participants": [
                {"role": "funding", "donor": donor.id},
                {"role": "implementing", "community": c.id},
            ],
            "status": status,
            "dates": plan.record(),
        }
        if rng.random() < 0.4:
            record["participants"].append(
                {"role": "extending", "name": "Câmara Municipal, gabinete de cooperação"}
            )
        if plan.decided is not None:
            record["decisions"] = self.decisions(c, aid, plan, status)
        # Policy conditions are flagged for the platform's attention (PA004); the synthetic
        # communities only take performance and fiduciary ones into their agreements.
        conditions = [cond for cond in donor.conditions if cond[0] != "policy"]
        if conditions and status != "proposed":
            record["conditions"] = [
                self.condition(cond, donor.id, status, plan) for cond in conditions
            ]
        budget = self.budget(plan, budget_total, c.currency, status in AGREED)
        if status != "proposed":
            record["budget"] = budget
        disbursements: list[tuple[date, int]] = []
        if status in AGREED:
            record["transactions"] = self.transactions(
                plan, budget_total, c.currency, status, disbursements
            )
        results = self.results(needs, plan, status)
        record["results"] = results
        if status != "proposed":
            record["reporting"] = {
                "cadence": CADENCES[plan.cadence],
                "grace_days": 30,
                "languages": ["pt", "en"],
            }
            record["evaluation"] = {
                "kind": "co-evaluation",
                "planned": min(add_months(plan.planned_end, 2), date(2029, 6, 30)),
            }
        if plan.signed is not None:
            record["documents"] = [
                {
                    "title": ml("Acordo de parceria assinado", "Signed partnership agreement"),
                    "url": f"https://example.org/acordos/{aid}.pdf",
                    "category": "A09",
                    "language": "pt",
                    "date": plan.signed,
                }
            ]
        record["description"] = ml(
            f"A comunidade de {c.name} e o doador acordam apoiar {title_pt}, segundo a "
            "estratégia coletiva adotada em assembleia geral.",
            f"The community of {c.name} and the donor agree to support {title_en}, following "
            "the collective strategy adopted by the general assembly.",
        )
        self.files[f"data/partnerships/{aid}/agreement.yaml"] = record
        if status in STARTED:
            for report in self.reports(c, aid, plan, status, results, disbursements):
                self.files[f"data/partnerships/{aid}/reports/{report['id']}.yaml"] = report

    def decisions(self, c: _Community, aid: str, plan: _Dates, status: str) -> list[Record]:
        """The community's decisions on the agreement, in order."""
        rng = self.rng
        assert plan.decided is not None
        first: Record = {
            "outcome": "declined" if status == "declined" else "accepted",
            "body": "assembleia geral",
            "date": plan.decided,
            "participants": rng.randint(20, 250),
        }
        if rng.random() < 0.6:
            first["minutes"] = {
                "title": ml("Ata da assembleia geral", "Minutes of the general assembly"),
                "url": f"https://example.org/atas/{c.id}/{aid}-{plan.decided}.pdf",
                "language": "pt",
                "date": plan.decided,
            }
        decisions = [first]
        later: tuple[str, date, str, str] | None = None
        if status == "suspended":
            day = REFERENCE_DATE - timedelta(days=rng.randint(5, 30))
            later = (
                "suspended",
                day,
                "Obras paradas até ao fim das chuvas.",
                "Works stopped until the end of the rains.",
            )
        elif status == "terminated" and plan.actual_end is not None:
            later = (
                "terminated",
                plan.actual_end,
                "O doador deixou de poder apoiar a parceria.",
                "The donor could no longer support the partnership.",
            )
        elif (
            status in ("active", "completed")
            and plan.actual_start is not None
            and rng.random() < 0.1
        ):
            day = plan.actual_start + timedelta(days=rng.randint(20, 60))
            later = (
                "amended",
                min(day, REFERENCE_DATE),
                "Calendário revisto em conjunto.",
                "Timetable revised together.",
            )
        if later is not None:
            outcome, day, pt, en = later
            decisions.append(
                {
                    "outcome": outcome,
                    "body": "assembleia geral",
                    "date": day,
                    "participants": rng.randint(20, 250),
                    "note": ml(pt, en),
                }
            )
        return decisions

    def condition(self, cond: list[str], donor: str, status: str, plan: _Dates) -> Record:
        ctype, _, pt, en = cond
        record: Record = {"type": ctype, "text": ml(pt, en), "proposed_by": donor}
        if plan.decided is not None:
            record["accepted"] = status != "declined"
            record["decided_on"] = plan.decided
        else:
            record["accepted"] = None
        return record

    def spans(self, plan: _Dates) -> list[tuple[date, date]]:
        """The planned period in one piece, or cut at each new year."""
        if self.rng.random() < 0.5:
            return [(plan.planned_start, plan.planned_end)]
        return _yearly(plan.planned_start, plan.planned_end)

    def budget(self, plan: _Dates, total: int, currency: str, committed: bool) -> list[Record]:
        # IATI budget lines cover a year at most: one per calendar year.
        spans = _yearly(plan.planned_start, plan.planned_end)
        valued = plan.signed or plan.decided or REFERENCE_DATE - timedelta(days=30)
        days = [(end - start).days + 1 for start, end in spans]
        amounts = [total * d // sum(days) for d in days[:-1]]
        amounts.append(total - sum(amounts))
        lines = []
        for (start, end), amount in zip(spans, amounts, strict=True):
            lines.append(
                {
                    "period": {"start": start, "end": end},
                    "value": money(amount, currency, valued),
                    "type": "original",
                    "status": "committed" if committed else "indicative",
                }
            )
        return lines

    def transactions(
        self,
        plan: _Dates,
        total: int,
        currency: str,
        status: str,
        disbursements: list[tuple[date, int]],
    ) -> list[Record]:
        rng = self.rng
        assert plan.signed is not None
        out: list[Record] = [
            {
                "type": "commitment",
                "date": plan.signed,
                "value": money(total, currency, plan.signed),
                "description": ml(
                    "Compromisso assumido na assinatura", "Commitment made at signature"
                ),
                "due": plan.planned_end,
            }
        ]
        periods = plan.report_periods()
        if not periods:
            return out
        planned_parts = len(periods) if status == "completed" else len(periods) + 2
        share = 0.6 if status == "terminated" else 1.0
        parts = split(int(total * share), planned_parts, rng)[: len(periods)]
        for (start, _), amount in zip(periods, parts, strict=True):
            day = start + timedelta(days=rng.randint(0, 10))
            disbursements.append((day, amount))
            out.append(
                {
                    "type": "disbursement",
                    "date": day,
                    "value": money(amount, currency, day),
                }
            )
        return out

    def results(self, needs: list[Record], plan: _Dates, status: str) -> list[Record]:
        rng = self.rng
        results = []
        for index, need in enumerate(needs, 1):
            ind_id, pt, en, measure = NEED_BY_SLUG[need["id"]].indicator
            baseline = 0 if measure == "unit" else rng.randint(0, 30)
            target = rng.randint(10, 200) if measure == "unit" else rng.randint(50, 100)
            periods = []
            spans = self.spans(plan)
            for step, (start, end) in enumerate(spans, 1):
                period: Record = {
                    "period": {"start": start, "end": end},
                    "target": baseline + round((target - baseline) * step / len(spans)),
                }
                if status in STARTED and end < REFERENCE_DATE:
                    actual = round(period["target"] * rng.uniform(0.6, 1.1))
                    period["actual"] = min(actual, 100) if measure == "percentage" else actual
                periods.append(period)
            results.append(
                {
                    "id": f"r{index}",
                    "type": "output" if index == 1 else "outcome",
                    "title": ml(
                        f"Resultado: {need['title']['pt']}", f"Result: {need['title']['en']}"
                    ),
                    "indicators": [
                        {
                            "id": ind_id,
                            "title": ml(pt, en),
                            "measure": measure,
                            "baseline": {"year": 2024, "value": baseline},
                            "periods": periods,
                        }
                    ],
                }
            )
        return results

    def reports(
        self,
        c: _Community,
        aid: str,
        plan: _Dates,
        status: str,
        results: list[Record],
        disbursements: list[tuple[date, int]],
    ) -> Iterator[Record]:
        rng = self.rng
        periods = plan.report_periods()
        for index, ((start, end), (paid_on, paid)) in enumerate(
            zip(periods, disbursements, strict=True), 1
        ):
            last = index == len(periods)
            kind = (
                "final"
                if last and status in ("completed", "terminated")
                else rng.choice(["progress", "progress", "progress", "financial"])
            )
            submitted = min(end + timedelta(days=rng.randint(3, 25)), REFERENCE_DATE)
            record: Record = {
                "id": f"{end.year}-{end.month:02d}-{kind}",
                "partnership": aid,
                "kind": kind,
                "period": {"start": start, "end": end},
                "submitted": {
                    "by": f"{self.person()}, pela direção da associação",
                    "on": submitted,
                },
            }
            validated = min(submitted + timedelta(days=rng.randint(2, 20)), REFERENCE_DATE)
            record["validated"] = {"body": "direção da associação", "on": validated}
            record["indicator_values"] = [
                {
                    "result": result["id"],
                    "indicator": ind["id"],
                    "period": {"start": start, "end": end},
                    "value": round(
                        ind["periods"][0]["target"] * index / len(periods) * rng.uniform(0.5, 1.0)
                    ),
                    "comment": ml("Contagem feita em assembleia", "Counted in the assembly"),
                }
                for result in results
                for ind in result["indicators"]
            ]
            spent = split(int(paid * rng.uniform(0.7, 1.0)), rng.randint(1, 3), rng)
            items = [
                (self.day_between(paid_on, end), amount - rng.choice([0, 0.5, 0.25]), pt, en)
                for amount, (pt, en) in zip(spent, rng.sample(EXPENSES, len(spent)), strict=True)
            ]
            record["expenditures"] = [
                {"date": day, "value": money(amount, c.currency), "description": ml(pt, en)}
                for day, amount, pt, en in sorted(items)
            ]
            record["narrative"] = ml(
                f"Neste período a comunidade de {c.name} avançou com as obras e formações "
                "previstas.\nAs famílias participaram em mutirão e a assembleia acompanhou "
                "as contas todos os meses.",
                f"In this period the community of {c.name} went ahead with the planned works "
                "and training.\nHouseholds joined in collective work days and the assembly "
                "followed the accounts every month.",
            )
            record["lessons"] = [ml(*rng.choice(LESSONS))]
            if rng.random() < 0.15:
                peers = [p for p in self.by_platform[c.platform] if p.id != c.id]
                if peers:
                    record["gave_forward"] = [
                        {
                            "to_community": rng.choice(peers).id,
                            "what": ml(
                                "Sementes e a experiência da horta partilhadas",
                                "Seeds and the garden know-how shared",
                            ),
                            "value": money(
                                local_amount(rng.uniform(50, 400), c.currency), c.currency
                            ),
                            "date": self.day_between(start, end),
                        }
                    ]
            yield record
        if status == "completed" and plan.actual_start and plan.actual_end:
            yield self.co_evaluation(aid, plan.actual_start, plan.actual_end)

    def co_evaluation(self, aid: str, start: date, end: date) -> Record:
        """The joint evaluation a completed agreement ends with."""
        rng = self.rng
        submitted = min(end + timedelta(days=rng.randint(15, 40)), REFERENCE_DATE)
        return {
            "id": "co-avaliacao",
            "partnership": aid,
            "kind": "co-evaluation",
            "period": {"start": start, "end": end},
            "submitted": {"by": "comissão de co-avaliação", "on": submitted},
            "validated": {
                "body": "assembleia geral",
                "on": min(submitted + timedelta(days=rng.randint(5, 20)), REFERENCE_DATE),
            },
            "narrative": ml(
                "A comunidade e o doador avaliaram juntos a parceria: os resultados previstos "
                "foram alcançados e a associação ficou mais forte.",
                "The community and the donor evaluated the partnership together: the expected "
                "results were reached and the association came out stronger.",
            ),
            "lessons": [ml(*rng.choice(LESSONS))],
        }


@dataclass
class _Dates:
    """When an agreement was planned, decided, signed, started and ended."""

    planned_start: date
    planned_end: date
    cadence: int
    reports: int = 0
    decided: date | None = None
    signed: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None

    @classmethod
    def plan(cls, rng: random.Random, status: str) -> _Dates:
        ref = REFERENCE_DATE
        cadence = rng.choice([3, 6, 6, 12])
        if status in STARTED:
            earliest = date(2025, 2, 1)
            ongoing = status in ("active", "suspended")
            count = rng.choice([1, 2, 2, 3, 3])
            while True:
                if ongoing:
                    # The last report's period ended at least 35 days ago; the next is not due.
                    lag = timedelta(days=rng.randint(35, cadence * 30 - 5))
                    start = add_months(ref, -count * cadence) - lag
                else:
                    latest = add_months(ref - timedelta(days=45), -count * cadence)
                    start = latest - timedelta(days=rng.randint(0, 150))
                if start >= earliest or count == 1:
                    break
                count -= 1
            start = max(start, earliest)
            end = None if ongoing else add_months(start, count * cadence) - timedelta(days=1)
            signed = start - timedelta(days=rng.randint(10, 30))
            decided = signed - timedelta(days=rng.randint(5, 25))
            planned_start = max(PERIOD_START, start - timedelta(days=rng.randint(0, 15)))
            if status == "completed" and end is not None:
                planned_end = end
            else:
                planned_end = min(
                    PERIOD_END, add_months(start, (count + rng.randint(2, 5)) * cadence)
                )
            return cls(planned_start, planned_end, cadence, count, decided, signed, start, end)
        planned_start = add_months(ref, rng.randint(2, 10))
        planned_end = min(PERIOD_END, add_months(planned_start, rng.randint(12, 24)))
        dates = cls(planned_start, planned_end, cadence)
        if status == "signed":
            dates.decided = ref - timedelta(days=rng.randint(20, 90))
            dates.signed = min(ref, dates.decided + timedelta(days=rng.randint(5, 20)))
        elif status == "declined":
            dates.decided = ref - timedelta(days=rng.randint(10, 200))
        return dates

    def record(self) -> Record:
        record: Record = {"planned_start": self.planned_start, "planned_end": self.planned_end}
        for key in ("signed", "actual_start", "actual_end"):
            value = getattr(self, key)
            if value is not None:
                record[key] = value
        return record

    def report_periods(self) -> list[tuple[date, date]]:
        """Consecutive reporting periods from the actual start, one per report."""
        if self.actual_start is None:
            return []
        return [
            (
                add_months(self.actual_start, i * self.cadence),
                add_months(self.actual_start, (i + 1) * self.cadence) - timedelta(days=1),
            )
            for i in range(self.reports)
        ]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def build(communities: int, donors: int, seed: int = 1) -> dict[str, str]:
    """Every file of the repository: repo-relative POSIX path to YAML text."""
    if communities < 1 or donors < 1:
        raise ValueError("a repository needs at least one community and one donor")
    builder = _Builder(communities, donors, seed)
    builder.settings()
    builder.build_communities()
    builder.build_strategies()
    builder.build_donors()
    builder.build_agreements()
    # Two files in three write small mappings on one line, as the shipped data does; the
    # rest stay in block style, so both parser paths are exercised.
    return {
        path: to_yaml(record, flow=index % 3 != 0, header=_schema_comment(path))
        for index, (path, record) in enumerate(builder.files.items())
    }


def _schema_comment(path: str) -> str:
    """The editor hint at the top of each file, pointing at the kind's JSON Schema."""
    parts = path.split("/")
    if len(parts) == 1:
        kind = "settings"
    elif parts[1] in ("communities", "partnerships") and len(parts) == 4:
        kind = "community" if parts[1] == "communities" else "agreement"
    else:
        kind = {"vocabularies": "vocabulary", "strategies": "strategy", "reports": "report"}.get(
            parts[-2], parts[1].rstrip("s")
        )
    return f"# yaml-language-server: $schema={'../' * (len(parts) - 1)}schemas/{kind}.schema.json"


@dataclass(frozen=True)
class Written:
    """What ``generate`` wrote."""

    root: Path
    files: int
    bytes: int
    seconds: float


def generate(
    out: Path, communities: int, donors: int, seed: int = 1, force: bool = False
) -> Written:
    """Write a repository into ``out`` atomically: it appears complete or not at all."""
    started = time.perf_counter()
    out = out.resolve()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not force)):
        raise FileExistsError(f"{out} exists and is not an empty folder (use --force)")
    files = build(communities, donors, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for folder in dict.fromkeys(rel.rpartition("/")[0] for rel in files):
            if folder:
                (staging / folder).mkdir(parents=True, exist_ok=True)
        size = 0
        for rel, text in files.items():
            data = text.encode("utf-8")
            size += len(data)
            (staging / rel).write_bytes(data)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            out.rename(old / "tree")
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Written(out, len(files), size, time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, required=True)
    parser.add_argument("--donors", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out")
    args = parser.parse_args(argv)
    try:
        written = generate(args.out, args.communities, args.donors, args.seed, args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {written.files} files, {written.bytes / 1e6:.1f} MB "
        f"({written.bytes / written.files / 1000:.1f} KB per file) to {written.root} "
        f"in {written.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
