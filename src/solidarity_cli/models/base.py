"""Shared types: the strict base model, slugs, ISO codes, multilingual text, money, periods."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    HttpUrl,
    StrictInt,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, ErrorDetails
from pydantic_core import core_schema as cs

from solidarity_cli import standards
from solidarity_cli.words import M_, Words

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_NEED_REF = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
_LANG = re.compile(r"^([a-z]{2,3})(?:-([A-Z]{2}|[0-9]{3}))?$")


def schema_rules(*clauses: dict[str, Any]) -> ConfigDict:
    """The cross-field rules of a model that JSON Schema can say too, for the editors' schema.

    Each clause is a JSON Schema (usually ``{"if": ..., "then": ...}``) the record must meet;
    the model's own validator stays the authority and says it in plain words.
    """
    return ConfigDict(json_schema_extra={"allOf": list(clauses)})


def when(field: str, value: str | list[str], then: dict[str, Any]) -> dict[str, Any]:
    """A clause: when ``field`` is ``value`` (or one of the values), ``then`` applies."""
    test = {"const": value} if isinstance(value, str) else {"enum": value}
    return {"if": {"properties": {field: test}, "required": [field]}, "then": then}


class Model(BaseModel):
    """Base of every schema: unknown keys are errors, values are frozen once loaded."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        use_enum_values=False,
        validate_default=False,
    )

    share_equal: ClassVar[bool] = False
    """Whether equal instances read in one load are one object (see ``equal_values_shared``):
    for small values that recur across records (periods, sector codes), whose fields hold
    no decimal number (``1.0`` equals ``1`` but is written differently)."""

    @model_validator(mode="after")
    def _shared(self) -> Self:
        # pydantic gives each instance a set of the fields it was given; records with the same
        # fields share one (a third of a loaded repository's memory otherwise). Frozen models
        # never change it in place, and ``model_copy`` copies it before adding to it.
        fields = self.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault(frozenset(fields), fields)
        _set_attribute(self, "__pydantic_fields_set__", shared)
        if self.share_equal:
            instances = _INSTANCES.get()
            if instances is not None:
                key = (type(self), id(shared), *self.__dict__.values())
                try:
                    kept: Self = instances.setdefault(key, self)
                except TypeError:  # a field holds a list or a mapping
                    return self
                return kept
        return self


_set_attribute = object.__setattr__
M = TypeVar("M", bound=BaseModel)
_FIELD_SETS: dict[frozenset[str], set[str]] = {}
_INSTANCES: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "solidarity_shared_instances", default=None
)


def with_fields_only(record: M, names: frozenset[str]) -> M:
    """A copy of ``record`` holding only the fields ``names``, for a reader of few of them:
    reading any other field of the copy raises ``AttributeError``, never a default. Its
    ``model_dump`` holds those fields alone: a copy is never written back or published.
    A record that holds no other field already is given back as it is."""
    if record.__dict__.keys() <= names:
        return record
    copy = type(record).__new__(type(record))
    _set_attribute(copy, "__dict__", {k: v for k, v in record.__dict__.items() if k in names})
    given = record.__pydantic_fields_set__ & names
    _set_attribute(copy, "__pydantic_fields_set__", _FIELD_SETS.setdefault(frozenset(given), given))
    _set_attribute(copy, "__pydantic_extra__", record.__pydantic_extra__)
    _set_attribute(copy, "__pydantic_private__", record.__pydantic_private__)
    return copy


@contextmanager
def equal_values_shared() -> Iterator[None]:
    """While loading: equal instances of models that ``share_equal`` are kept once."""
    token = _INSTANCES.set({})
    try:
        yield
    finally:
        _INSTANCES.reset(token)


def _code_check(kind: Words, table: Callable[[], frozenset[str]]) -> Callable[[str], str]:
    """A validator that looks a code up, exactly as written, in an ISO table."""

    def check(value: str) -> str:
        if value not in table():
            if value.upper() in table():
                raise ValueError(
                    M_(
                        "{value} is written {upper} in ISO codes",
                        value=repr(value),
                        upper=repr(value.upper()),
                    )
                )
            raise ValueError(M_("{value} is not a known {kind}", value=repr(value), kind=kind))
        return value

    return check


_check_country = _code_check(M_("ISO 3166-1 country code (e.g. CV, BR)"), standards.country_codes)
_check_subdivision = _code_check(
    M_("ISO 3166-2 subdivision code (e.g. CV-PN, BR-BA)"), standards.subdivision_codes
)
_check_currency = _code_check(
    M_("ISO 4217 currency code (e.g. CVE, EUR, BRL, USD)"), standards.currency_codes
)


@functools.cache
def _check_language(value: str) -> str:
    match = _LANG.match(value)
    if match is None or match.group(1) not in standards.language_codes():
        raise ValueError(
            M_(
                "{value} is not an ISO 639 language code (e.g. pt, en, fr, es, kea, pt-BR)",
                value=repr(value),
            )
        )
    return value


def _check_need_ref(value: str) -> str:
    if _NEED_REF.match(value) is None:
        raise ValueError(
            M_(
                "{value} is not a need reference: write <strategy-id>/<need-id>",
                value=repr(value),
            )
        )
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
]
"""A lowercase identifier made of letters, digits and single hyphens."""


class _CodeList:
    """The JSON Schema of a code: exactly one of the codes of its table, as ``check`` has it."""

    def __init__(self, table: Callable[[], frozenset[str]]) -> None:
        self.table = table

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["enum"] = sorted(self.table())
        return schema


class _LanguagePattern:
    """The JSON Schema of a language tag: an ISO 639 code, then an optional region."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["pattern"] = language_tag_pattern()
        return schema


@functools.cache
def language_tag_pattern() -> str:
    """One regular expression accepting exactly the language tags ``check`` accepts."""
    codes = "|".join(sorted(standards.language_codes()))
    return f"^(?:{codes})(?:-(?:[A-Z]{{2}}|[0-9]{{3}}))?$"


CountryCode = Annotated[str, AfterValidator(_check_country), _CodeList(standards.country_codes)]
SubdivisionCode = Annotated[
    str, AfterValidator(_check_subdivision), _CodeList(standards.subdivision_codes)
]
CurrencyCode = Annotated[str, AfterValidator(_check_currency), _CodeList(standards.currency_codes)]
LanguageCode = Annotated[str, AfterValidator(_check_language), _LanguagePattern()]
NeedRef = Annotated[
    str,
    AfterValidator(_check_need_ref),
    WithJsonSchema({"type": "string", "pattern": _NEED_REF.pattern}),
]
Text = Annotated[str, StringConstraints(min_length=1)]
OrgId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}-[A-Za-z0-9]+-[A-Za-z0-9._/-]+$")]
"""An organisation identifier as org-id.guide writes it: ``<list>-<identifier>``."""
GitHubHandle = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$")]

MultilingualText = Annotated[dict[LanguageCode, Text], Field(min_length=1)]
"""Text in one or more languages, keyed by ISO 639 code: ``{pt: ..., en: ...}``."""


FAST = "\x00fast"
"""The label of the branch that takes the common case in pydantic's core (see ``_FastFirst``).
It holds a control character, which no key read from a file can hold (they are refused where
the file enters), so it is never mistaken for a key of the data."""
CHECKED = "\x00checked"
"""The label of the branch that runs the Python validator (see ``_FastFirst``)."""


class _FastFirst:
    """Try the common case in pydantic's core (Rust) before the type's Python validator.

    ``fast`` builds, from the inner (checked) schema, a schema that accepts only values the
    Python validator would turn into the same result. Only when it refuses a value does the
    Python validator run, and then its error is the one reported: ``validation_errors`` drops
    the fast branch's errors and the branch labels. The editors' JSON Schema is the checked
    schema's.
    """

    def __init__(self, fast: Callable[[CoreSchema], CoreSchema]) -> None:
        self.fast = fast

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        checked = handler(source)
        both = cs.union_schema(
            [(self.fast(checked), FAST), (checked, CHECKED)], mode="left_to_right"
        )
        return cs.json_or_python_schema(json_schema=checked, python_schema=both)


def validation_errors(error: ValidationError) -> list[ErrorDetails]:
    """``error.errors()`` as if every type were checked by its Python validator alone."""
    out: list[ErrorDetails] = []
    for item in error.errors(include_url=False):
        loc = item["loc"]
        if loc and loc[-1] == FAST:
            continue
        if loc and loc[-1] == CHECKED:
            item["loc"] = loc[:-1]
        out.append(item)
    return out


def own_words(error: ErrorDetails) -> Words | None:
    """What a check of ours said when it refused a value (``ValueError(M_(...))``), without
    the "Value error, " pydantic puts before it; None for pydantic's own errors."""
    reason = (error.get("ctx") or {}).get("error")
    said = reason.args[0] if isinstance(reason, Exception) and reason.args else None
    return said if isinstance(said, Words) else None


def _checked_target(checked: CoreSchema) -> CoreSchema:
    """The schema a ``BeforeValidator`` hands its result to."""
    if checked["type"] != "function-before":
        raise TypeError(f"expected a before-validator schema, got {checked['type']}")
    target: CoreSchema = checked["schema"]
    return target


def _fast_number(checked: CoreSchema) -> CoreSchema:
    # An integer (never a boolean) or a float, as ``_number`` would pass it on: the float by
    # its shortest text, as Decimal(repr(value)) does, then the same decimal with its bounds.
    target = _checked_target(checked)
    return cs.union_schema(
        [
            _fast_integer(target),
            cs.chain_schema([cs.is_instance_schema(float), target]),
        ],
        mode="left_to_right",
        custom_error_type="fast_number",
        custom_error_message="not a plain number",
    )


#: Keys of a decimal schema that ``_fast_integer`` knows how to say as integer bounds.
_INTEGER_SAFE = frozenset(
    {"type", "ge", "gt", "le", "lt", "max_digits", "decimal_places", "metadata", "allow_inf_nan"}
)


def _fast_integer(target: CoreSchema) -> CoreSchema:
    """An integer (never a boolean) held to ``target``'s decimal bounds as integer bounds.

    For an integer, at most ``max_digits`` digits with ``decimal_places`` of them after the
    point means fewer than ``max_digits - decimal_places`` digits in all: checked on the integer,
    pydantic need not take the decimal apart to count its digits.
    """
    checked = cs.chain_schema([cs.int_schema(strict=True), target])
    if set(target) - _INTEGER_SAFE:
        return checked
    bounds: dict[str, Any] = {}
    for name in ("ge", "gt", "le", "lt"):
        bound = target.get(name)
        if bound is None:
            continue
        if Decimal(bound) != Decimal(bound).to_integral_value():
            return checked
        bounds[name] = int(bound)
    digits = target.get("max_digits")
    if digits is not None:
        whole = int(digits) - int(target.get("decimal_places") or 0)
        bounds["lt"] = min(bounds.get("lt", 10**whole), 10**whole)
        bounds["gt"] = max(bounds.get("gt", -(10**whole)), -(10**whole))
    plain = cs.decimal_schema(allow_inf_nan=False)
    return cs.chain_schema([cs.int_schema(strict=True, **bounds), plain])


def _fast_date(checked: CoreSchema) -> CoreSchema:
    # A date that is not a date and time, as ``_date`` passes it on.
    return cs.date_schema(strict=True)


def _number(value: object) -> object:
    # A YAML number only: "12500" in quotes, true or yes are not amounts.
    meant = written_number(value) if isinstance(value, str) else None
    if meant is not None:
        raise ValueError(
            M_(
                "{value} is not a number as YAML writes it: write {number} (digits, a point "
                "before the decimals, no thousands separator, no currency, no quotes)",
                value=_shown(value),
                number=meant,
            )
        )
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(
            M_(
                "{value} is not a number: write digits without quotes, e.g. 1500.50",
                value=_shown(value),
            )
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(M_("this number is not finite: write a plain number, e.g. 1500.50"))
        return Decimal(repr(value))
    return value


_WRITTEN = re.compile(
    r"\s*(?:[A-Za-z$€]{1,3}\s*)?(?P<digits>[0-9][0-9 .,\u00a0\u202f]*[0-9]|[0-9])"
    r"\s*(?:[A-Za-z$€]{1,3})?\s*"
)


def written_number(text: str) -> str | None:
    """How YAML writes an amount a person wrote as text (``1.800,00``, ``1,800.50``,
    ``1800 CVE``, ``"2500"``): ``1800.00``, ``1800.50``, ``1800``, ``2500``; ``None`` when
    ``text`` is not such an amount, or could be read two ways (``1.800``)."""
    found = _WRITTEN.fullmatch(text)
    if found is None:
        return None
    digits = re.sub(r"[ \u00a0\u202f]", "", found["digits"])
    points, commas = digits.count("."), digits.count(",")
    decimals = ""
    if points and commas:  # the last of the two marks the decimals
        mark = "." if digits.rfind(".") > digits.rfind(",") else ","
        grouped, decimals = digits.rsplit(mark, 1)
    elif points + commas == 1:
        if re.search(r"[.,][0-9]{3}$", digits):
            return None  # "1.800": a thousand or one point eight? Not ours to guess
        grouped, decimals = re.split(r"[.,]", digits)
    else:
        grouped = digits
    groups = re.split(r"[.,]", grouped)
    whole = "".join(groups)
    if not whole.isdigit() or not (decimals == "" or decimals.isdigit()):
        return None
    if any(len(g) != 3 for g in groups[1:] if g):
        return None  # "1.2.3" is not a grouped number
    return f"{int(whole)}.{decimals}" if decimals else str(int(whole))


def _shown(value: object) -> str:
    """A short, safe rendering of a wrong value for a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _NumberSchema:
    """A number in JSON Schema too: pydantic would also let a decimal string through."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        for option in schema.pop("anyOf", []):
            if option.get("type") == "number":
                schema.update(option)
        schema.pop("pattern", None)
        for bound in _BOUNDS.values():
            if isinstance(schema.get(bound), float) and schema[bound].is_integer():
                schema[bound] = int(schema[bound])  # 0, not 0.0, as the editors' schemas say
        # Bounds set around the validator arrive under pydantic's names: say them in JSON Schema.
        for ours, theirs in _BOUNDS.items():
            if ours in schema:
                schema[theirs] = _plain(schema.pop(ours))
        # Digits and decimal places have no JSON Schema keyword: check alone keeps them.
        schema.pop("max_digits", None)
        schema.pop("decimal_places", None)
        schema["type"] = "number"
        return schema


_BOUNDS = {"ge": "minimum", "gt": "exclusiveMinimum", "le": "maximum", "lt": "exclusiveMaximum"}


def _plain(bound: object) -> int | float:
    if isinstance(bound, int | float):
        return bound
    number = Decimal(str(bound))
    return int(number) if number == number.to_integral_value() else float(number)


Number = Annotated[Decimal, BeforeValidator(_number), _NumberSchema(), _FastFirst(_fast_number)]
"""A YAML number (integer or decimal), never text or true/false."""

PositiveNumber = Annotated[Decimal, Field(gt=0), BeforeValidator(_number), _NumberSchema()]
"""A YAML number above 0."""

NonNegative = Annotated[
    Decimal,
    Field(ge=0, max_digits=18, decimal_places=4),
    BeforeValidator(_number),
    _NumberSchema(),
    _FastFirst(_fast_number),
]
"""A YAML number of at most 18 digits and 4 decimals, 0 or more. The bounds sit inside the
number check, so pydantic's core (Rust) applies them rather than a Python validator each."""


def _date(value: object) -> object:
    # An unquoted YAML date arrives as a date, a quoted one as text: both mean the same day.
    # A date and time, a number or another text is not a day.
    if isinstance(value, dt.datetime):
        raise ValueError(
            M_("{value} has a time: write only the day, e.g. 2025-03-31", value=_shown(value))
        )
    if isinstance(value, dt.date):
        return value
    meant = written_day(value) if isinstance(value, str) else None
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            if meant is not None:  # 2028-31-12: the day before the month
                raise ValueError(
                    M_(
                        "{value} is not a day of the calendar: write {day} (the year, the "
                        "month, then the day)",
                        value=repr(value),
                        day=meant,
                    )
                ) from None
            raise ValueError(
                M_("{value} is not a day of the calendar", value=repr(value))
            ) from None
    if meant is not None:
        raise ValueError(
            M_(
                "{value} is not a date as YAML writes it: write {day} (the year, the month, "
                "then the day, with '-')",
                value=_shown(value),
                day=meant,
            )
        )
    raise ValueError(
        M_("{value} is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31", value=_shown(value))
    )


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DAY_FIRST = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})")


def written_day(text: str) -> str | None:
    """How YAML writes a day a person wrote another way (``31/12/2028``, ``2028-31-12``,
    ``2028/12/31``): ``2028-12-31``; ``None`` when ``text`` is no such day, or could be read
    two ways (``03/04/2028``: the 3rd of April or the 4th of March?)."""
    text = text.strip()
    found = _DAY_FIRST.fullmatch(text)
    if found is not None:  # 31/12/2028, or 12/31/2028 where the day cannot be a month
        first, second, year = int(found[1]), int(found[3]), int(found[4])
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first or first == second:
            day, month = second, first
        else:
            return None
    else:
        found = _YEAR_FIRST.fullmatch(text)
        if found is None:
            return None
        year, middle, last = int(found[1]), int(found[3]), int(found[4])
        if middle <= 12:  # 2028/12/31
            if found[2] == "-":
                return None  # written as YAML writes it: a day, or no day at all
            month, day = middle, last
        elif last <= 12:  # 2028-31-12
            month, day = last, middle
        else:
            return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DAY.pattern}),
    _FastFirst(_fast_date),
]
"""A calendar day written YYYY-MM-DD."""


class Maintainer(Model):
    """A person allowed to speak for a record in pull requests (its GitHub handle)."""

    name: Text
    github: GitHubHandle
    role: Text | None = None


class Money(Model):
    """An amount in one ISO 4217 currency, with the date its value is taken at (IATI value-date)."""

    amount: NonNegative
    currency: CurrencyCode
    value_date: Date | None = None


class Period(Model):
    """A closed range of dates; ``end`` on or after ``start``."""

    share_equal = True

    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(
                M_(
                    "the period ends ({end}) before it starts ({start})",
                    end=self.end,
                    start=self.start,
                )
            )
        return self

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the period, both ends included."""
        return self.start <= day <= self.end


class DocumentLink(Model):
    """A document: a web address or a path inside the repository (IATI document-link)."""

    model_config = schema_rules({"anyOf": [{"required": ["url"]}, {"required": ["path"]}]})

    title: MultilingualText
    url: HttpUrl | None = None
    path: str | None = None
    category: Annotated[str, StringConstraints(pattern=r"^[AB][0-9]{2}$")] | None = Field(
        default=None, description="IATI DocumentCategory code, e.g. A07 for an evaluation"
    )
    language: LanguageCode | None = None
    date: Date | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> DocumentLink:
        if self.url is None and self.path is None:
            raise ValueError(M_("a document needs a url or a path inside the repository"))
        return self


class Source(Model):
    """A count with the year it refers to and where it comes from."""

    count: Annotated[StrictInt, Field(ge=0)]
    year: Annotated[StrictInt, Field(ge=1900, le=2100)]
    source: Text
