"""Coverage: planned vs visited, devices expected/inspected/missing/unexpected, map and exports."""

import marshmallow as ma
from flask import Response, jsonify
from flask_smorest import Blueprint
from webargs.fields import DelimitedList

from server.api.base import QueryArgs, quarter_param, roles_required
from server.api.out import BINARY, fast_dump
from server.api.schemas_coverage import CoverageMapOut, CoverageOut, CoverageSiteOut
from server.models import INSPECTION_KINDS
from server.security import ANY_ROLE
from server.services.coverage import details as coverage_details
from server.services.coverage import export as coverage_export
from server.services.coverage import map as coverage_map
from server.services.coverage import site as coverage_site
from server.services.coverage import summary as coverage
from server.services.coverage.scope import LIST_LIMIT, scope_from

blp = Blueprint("coverage", __name__, url_prefix="/coverage", description="Coverage")


class CoverageQuery(QueryArgs):
    quarter = quarter_param("or give from and to")
    from_ = ma.fields.Date(data_key="from", metadata={"description": "first day (inclusive)"})
    to = ma.fields.Date(metadata={"description": "last day (inclusive)"})
    kind = ma.fields.String(load_default="quarterly", validate=ma.validate.OneOf(INSPECTION_KINDS))
    prefecture = ma.fields.String(validate=ma.validate.Length(max=12))
    county = ma.fields.String(validate=ma.validate.Length(max=12))
    device_type = ma.fields.String(validate=ma.validate.Length(max=32))


class CoverageTableQuery(CoverageQuery):
    include = DelimitedList(
        ma.fields.String(validate=ma.validate.OneOf(coverage_details.LISTS)),
        metadata={
            "description": "detail lists to add, comma-separated: "
            + ", ".join(coverage_details.LISTS)
        },
    )
    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=1_000_000),
        metadata={"description": "page of every included list (1 = first)"},
    )
    per_page = ma.fields.Integer(
        load_default=LIST_LIMIT,
        validate=ma.validate.Range(min=1, max=LIST_LIMIT),
        metadata={"description": f"rows per page of each list, at most {LIST_LIMIT}"},
    )


class ExportQuery(CoverageQuery):
    table = ma.fields.String(
        load_default="sites",
        validate=ma.validate.OneOf(coverage_export.TABLES),
        metadata={"description": "CSV only: which table"},
    )


class SiteQuery(CoverageQuery):
    pass


def _scope(args):
    args = dict(args)
    args["from"] = args.pop("from_", None)
    return scope_from(args)


# Each list's query builder in services/coverage/details.py and its key in the answer.
_LISTS = {
    "missing": "missing_devices",
    "unexpected": "unexpected_devices",
    "failed": "failed",
    "never_inspected": "never_inspected",
}


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(CoverageTableQuery, location="query")
@blp.response(200, CoverageOut)
def get_coverage(args):
    """Coverage of a quarter or date range: per-bureau table, totals, overdue bureaus, and one
    page of each detail list named in `include`, with each list's total (the exports have all)."""
    include = set(args.pop("include", None) or ())
    number, per_page = args.pop("page"), args.pop("per_page")
    scope = _scope(args)
    result = coverage.summarise(scope)
    result["overdue"] = [
        {
            "code": r["code"],
            "name": r["name"],
            "prefecture": r["prefecture"],
            "last_visit": r["last_visit_ever"],
        }
        for r in result["sites"]
        if r["overdue"]
    ]
    result.update(list_limit=per_page, list_page=number, list_totals={})
    for name, key in _LISTS.items():
        if name in include:
            query = getattr(coverage_details, f"{name}_query")(scope)
            total, rows = coverage_details.page(query, per_page, (number - 1) * per_page)
            result["list_totals"][name] = total
            result[key] = rows
    if "never_inspected" in include:
        total = result["list_totals"]["never_inspected"]
        result["never_inspected"] = {"count": total, "items": result["never_inspected"]}
        result["summary"]["never_inspected"] = total
    return jsonify(fast_dump(CoverageOut, result))


@blp.route("/map")
@roles_required(*ANY_ROLE)
@blp.arguments(CoverageQuery, location="query")
@blp.response(200, CoverageMapOut)
def get_map(args):
    """Tiles for the coverage map: one equal tile per bureau with its grid cell and state."""
    return jsonify(fast_dump(CoverageMapOut, coverage_map.tiles(_scope(args))))


@blp.route("/sites/<code>")
@roles_required(*ANY_ROLE)
@blp.arguments(SiteQuery, location="query")
@blp.response(200, CoverageSiteOut)
def get_site(args, code):
    """One site: its devices, each one's last inspection, and recent visits."""
    scope = _scope(args) if (args.get("quarter") or args.get("from_")) else None
    return coverage_site.site_detail(code, scope)


@blp.route("/export.csv")
@roles_required(*ANY_ROLE)
@blp.arguments(ExportQuery, location="query")
@blp.response(200, BINARY, content_type="text/csv", description="CSV, UTF-8 with BOM")
def export_csv(args):
    """One coverage table as CSV (UTF-8 with BOM, opens in Excel)."""
    table = args.pop("table")
    scope = _scope(args)
    data = coverage_export.to_csv(scope, table)
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{coverage_export.filename(scope, table)}.csv"'
        },
    )


@blp.route("/export.xlsx")
@roles_required(*ANY_ROLE)
@blp.arguments(ExportQuery, location="query")
@blp.response(
    200,
    BINARY,
    description="XLSX workbook",
    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
def export_xlsx(args):
    """Every coverage table, one sheet each, as XLSX."""
    args.pop("table")
    scope = _scope(args)
    return Response(
        coverage_export.to_xlsx(scope),
        headers={
            "Content-Disposition": f'attachment; filename="{coverage_export.filename(scope, "all")}.xlsx"'
        },
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
