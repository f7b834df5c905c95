"""Schemas of the web device import."""

import marshmallow as ma

from server.api.base import QueryArgs
from server.api.out import Out


class ImportFileIn(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class TemplateArgs(QueryArgs):
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(("csv", "xlsx")))


class RowProblemOut(Out):
    row = ma.fields.Integer(metadata={"description": "the row number a spreadsheet shows"})
    column = ma.fields.String()
    code = ma.fields.String(metadata={"description": "words for screens: row_<code>"})
    params = ma.fields.Dict()
    reason = ma.fields.String(metadata={"description": "the same in English"})


class PreviewRowOut(Out):
    tag = ma.fields.String(allow_none=True, metadata={"description": "null: issued on import"})
    serial = ma.fields.String(allow_none=True)
    type_id = ma.fields.Integer()
    room_id = ma.fields.Integer(allow_none=True)
    room = ma.fields.String(allow_none=True, metadata={"description": "site and room name"})
    status = ma.fields.String()
    install_date = ma.fields.Date(allow_none=True)


class ImportCheckOut(Out):
    file = ma.fields.String()
    rows = ma.fields.Integer()
    ready = ma.fields.Boolean(metadata={"description": "no problem: the import will succeed"})
    problems = ma.fields.List(ma.fields.Nested(RowProblemOut))
    preview = ma.fields.List(ma.fields.Nested(PreviewRowOut))


class ImportDoneOut(Out):
    file = ma.fields.String()
    imported = ma.fields.Integer()
    tags = ma.fields.List(ma.fields.String())
