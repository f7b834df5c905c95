"""Administrative regions: province, prefecture-level units, counties."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server.api.base import QueryArgs, roles_required
from server.api.out import Out
from server.extensions import db
from server.models import REGION_LEVELS, Region
from server.security import ANY_ROLE

blp = Blueprint("regions", __name__, url_prefix="/regions", description="Regions")


class RegionOut(Out):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    kind = ma.fields.String()
    parent_code = ma.fields.String(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    lat = ma.fields.Float(allow_none=True)


class RegionQuery(QueryArgs):
    level = ma.fields.String(validate=ma.validate.OneOf(REGION_LEVELS))
    parent = ma.fields.String()


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(RegionQuery, location="query")
@blp.response(200, RegionOut(many=True))
def list_regions(args):
    """All regions, optionally of one level or under one parent."""
    query = sa.select(Region).order_by(Region.code)
    if "level" in args:
        query = query.where(Region.level == args["level"])
    if "parent" in args:
        query = query.where(Region.parent_code == args["parent"])
    return db.session.scalars(query).all()
