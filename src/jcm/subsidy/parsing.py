"""Build ``Application`` objects from records (JSON objects, CSV or spreadsheet rows).

Every bad value becomes a ``FieldProblem`` naming the field (and the row, for files);
defaults the applicant may leave out are taken from the call settings here.
"""

from __future__ import annotations

from collections.abc import Mapping

from jcm.errors import FieldProblem, ValidationFailed
from jcm.subsidy._fields import FieldReader, to_int
from jcm.subsidy.application import Application
from jcm.subsidy.schedule import default_schedule
from jcm.subsidy.settings import CallSettings

COST_PARTS = ("equipment_cost_jpy", "construction_cost_jpy", "office_cost_jpy")
SimilarCounts = Mapping[tuple[str, str], int]


def parse_application(
    data: Mapping[str, object],
    call: CallSettings,
    *,
    row: int | None = None,
    similar_adopted: SimilarCounts | None = None,
) -> Application:
    """One application from one record; raises ``ValidationFailed`` listing every problem."""
    application, problems = read_application(data, call, row=row, similar_adopted=similar_adopted)
    if application is None:
        raise ValidationFailed.of(problems)
    return application


def read_application(
    data: Mapping[str, object],
    call: CallSettings,
    *,
    row: int | None = None,
    similar_adopted: SimilarCounts | None = None,
) -> tuple[Application | None, list[FieldProblem]]:
    """The application, or None and the problems found. ``similar_adopted`` is keyed by
    (partner country, technology family) and overrides the call settings' table."""
    r = FieldReader(data, row)
    technology = r.text("technology")
    country = r.iso3("partner_country")
    investment = r.integer("initial_investment_jpy", minimum=1)
    subsidy = r.integer("requested_subsidy_jpy", minimum=0)
    months = r.integer("implementation_months", minimum=1)
    parts = _cost_parts(r, investment)
    years = _durable_years(r, call, technology)
    similar, overridden, reason = _similar(r, call, country, technology, similar_adopted)
    schedule = _schedule(r, call, subsidy, months)
    application = Application(
        id=r.text("id"),
        partner_country=country,
        technology=technology,
        representative_participant_country=r.iso3("representative_participant_country"),
        initial_investment_jpy=investment,
        requested_subsidy_jpy=subsidy,
        annual_reduction_tco2=r.integer("annual_reduction_tco2"),
        legal_durable_years=years,
        annual_net_savings_jpy=r.integer("annual_net_savings_jpy"),
        implementation_months=months,
        schedule_jpy_by_fiscal_year=schedule,
        similar_projects_in_country=similar,
        other_public_subsidy=r.boolean("other_public_subsidy"),
        similar_projects_overridden=overridden,
        similar_projects_override_reason=reason,
        equipment_cost_jpy=parts[0],
        construction_cost_jpy=parts[1],
        office_cost_jpy=parts[2],
        eco_lease=r.boolean("eco_lease"),
        note=r.text("note", required=False),
    )
    return (None, r.problems) if r.problems else (application, [])


def _cost_parts(r: FieldReader, investment: int) -> tuple[int | None, ...]:
    parts = tuple(r.optional_integer(key, minimum=0) for key in COST_PARTS)
    given = [p for p in parts if p is not None]
    if given and investment and sum(given) != investment:
        r.problem(
            "initial_investment_jpy",
            f"equipment + construction + office costs ({sum(given):,} yen) must equal the "
            f"initial investment ({investment:,} yen).",
            f"設備費・工事費・事務費の合計（{sum(given):,} 円）が初期投資額（{investment:,} 円）"
            "と一致しません。",
        )
    return parts


def _durable_years(r: FieldReader, call: CallSettings, technology: str) -> int:
    stated = r.optional_integer("legal_durable_years", minimum=1)
    if stated is not None:
        return stated
    known = call.technology_by_code.get(technology)
    if known is not None:
        return known.durable_years
    if technology and not r.present("legal_durable_years"):
        r.problem(
            "technology",
            f"'{technology}' is not in the durable-years table of {call.call}; "
            "state legal_durable_years.",
            f"'{technology}' は {call.call} の耐用年数表にありません。"
            "legal_durable_years を入力してください。",
        )
    return 0


def _similar(
    r: FieldReader,
    call: CallSettings,
    country: str,
    technology: str,
    similar_adopted: SimilarCounts | None,
) -> tuple[int, bool, str]:
    reason = r.text("similar_projects_override_reason", required=False)
    override = r.optional_integer("similar_projects_in_country", minimum=0)
    if override is not None:
        if not reason:
            r.problem(
                "similar_projects_override_reason",
                "is required when similar_projects_in_country is given.",
                "similar_projects_in_country を指定する場合は理由が必要です。",
            )
        return override, True, reason
    if similar_adopted is not None:
        return similar_adopted.get((country, call.family_of(technology)), 0), False, ""
    return call.similar_adopted(country, technology), False, ""


def _schedule(
    r: FieldReader, call: CallSettings, subsidy: int, months: int
) -> tuple[tuple[int, int], ...]:
    raw = r.data.get("schedule_jpy_by_fiscal_year")
    if raw is None or raw == {} or raw == "":
        if subsidy >= 0 and months >= 1:
            return default_schedule(subsidy, call.fiscal_years[0], months)
        return ()
    if not isinstance(raw, Mapping):
        r.problem(
            "schedule_jpy_by_fiscal_year",
            'must be an object such as {"2022": 100000000}.',
            '{"2022": 100000000} のような形式で入力してください。',
        )
        return ()
    return _read_schedule(r, raw)


def _read_schedule(r: FieldReader, raw: Mapping[object, object]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for key, value in raw.items():
        year, amount = to_int(key), to_int(value)
        field = f"schedule_jpy_by_fiscal_year.{key}"
        if year is None or not 1900 <= year <= 2200:
            r.problems.append(
                FieldProblem(field, "is not a fiscal year.", "年度ではありません。", r.row)
            )
        elif amount is None or amount < 0:
            r.problems.append(
                FieldProblem(
                    field,
                    f"'{value}' is not a whole, non-negative number of yen.",
                    f"'{value}' は0以上の整数（円）ではありません。",
                    r.row,
                )
            )
        else:
            out.append((year, amount))
    return tuple(sorted(out))
