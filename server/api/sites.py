"""Sites (bureaus, store, depots) and their rooms."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from server.api.base import PageArgs, paginate, roles_required
from server.api.schemas import RoomOut, SiteOut, page_of
from server.errors import NotFound
from server.extensions import db
from server.models import ROOM_KINDS, SITE_TIERS, Region, Site
from server.security import ANY_ROLE, MANAGER_ROLES
from server.services.core import places
from server.services.presence import propose

blp = Blueprint("sites", __name__, url_prefix="/sites", description="Sites and rooms")


class SiteQuery(PageArgs):
    tier = ma.fields.String(validate=ma.validate.OneOf(SITE_TIERS))
    region = ma.fields.String(metadata={"description": "region or prefecture code"})
    q = ma.fields.String(metadata={"description": "text in the name or code"})


class SiteDetail(SiteOut):
    rooms = ma.fields.List(ma.fields.Nested(RoomOut))


class ProposedPointOut(ma.Schema):
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    records = ma.fields.Integer(metadata={"description": "positions the median rests on"})
    spread_m = ma.fields.Integer(allow_none=True, metadata={"description": "their median distance"})
    moved_m = ma.fields.Integer(
        allow_none=True, metadata={"description": "from the site's current point to the proposal"}
    )


class RoomIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    kind = ma.fields.String(load_default="other", validate=ma.validate.OneOf(ROOM_KINDS))


def _site_fields(required: bool) -> dict:
    """A site's editable fields; a new site must name its name, tier and region."""
    return {
        "name": ma.fields.String(required=required, validate=ma.validate.Length(min=1, max=128)),
        "tier": ma.fields.String(required=required, validate=ma.validate.OneOf(SITE_TIERS)),
        "region_code": ma.fields.String(
            required=required, validate=ma.validate.Length(min=1, max=12)
        ),
        "address": ma.fields.String(allow_none=True, validate=ma.validate.Length(max=256)),
        "lat": ma.fields.Float(
            allow_none=True, allow_nan=False, metadata={"description": "WGS-84"}
        ),
        "lon": ma.fields.Float(
            allow_none=True, allow_nan=False, metadata={"description": "WGS-84"}
        ),
    }


# An edit changes anything but the code (labels and history use it).
SitePatch = ma.Schema.from_dict(_site_fields(required=False), name="SitePatch")
SiteIn = ma.Schema.from_dict(
    {
        "code": ma.fields.String(
            required=True,
            validate=ma.validate.Regexp(
                r"^[A-Za-z0-9_-]{2,32}$",
                error="2-32 letters, digits, _ or - (e.g. a GB/T 2260 code)",
            ),
        ),
        **_site_fields(required=True),
    },
    name="SiteIn",
)


class CloseIn(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))


class RoomPatch(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=64))
    kind = ma.fields.String(validate=ma.validate.OneOf(ROOM_KINDS))


def _site_or_404(code: str) -> Site:
    site = db.session.scalar(
        sa.select(Site).where(Site.code == code).options(selectinload(Site.rooms))
    )
    if site is None:
        raise NotFound(f"No site with code '{code}'.")
    return site


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(SiteQuery, location="query")
@blp.response(200, page_of(SiteOut))
def list_sites(args):
    """Sites, filterable by tier, region (a county or its prefecture) and text."""
    query = sa.select(Site).join(Site.region).order_by(Site.code)
    if "tier" in args:
        query = query.where(Site.tier == args["tier"])
    if "region" in args:
        code = args["region"]
        query = query.where(sa.or_(Site.region_code == code, Region.parent_code == code))
    if "q" in args:
        like = f"%{args['q']}%"
        query = query.where(sa.or_(Site.name.like(like), Site.code.like(like)))
    return paginate(query, args["page"], args["per_page"])


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(SiteIn)
@blp.response(201, SiteDetail)
def create_site(args):
    """Create a site (a bureau, the store or a depot) in a known region."""
    return places.create_site(**args)


@blp.route("/<code>", methods=["PATCH"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(SitePatch)
@blp.response(200, SiteDetail)
def update_site(args, code):
    """Edit a site's name, tier, region, address or coordinates."""
    return places.update_site(_site_or_404(code), **args)


@blp.route("/<code>/rooms/<int:room_id>", methods=["PATCH"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(RoomPatch)
@blp.response(200, RoomOut)
def update_room(args, code, room_id):
    """Rename a room or change its kind."""
    return places.update_room(_site_or_404(code), room_id, **args)


@blp.route("/<code>")
@roles_required(*ANY_ROLE)
@blp.response(200, SiteDetail)
def get_site(code):
    """One site with its rooms."""
    return _site_or_404(code)


@blp.route("/<code>/proposed-point")
@roles_required(*MANAGER_ROLES)
@blp.response(200, ProposedPointOut)
def proposed_point(code):
    """The median of the site's accepted visit positions, for a supervisor to confirm (PATCH)."""
    return propose.proposal(_site_or_404(code))


@blp.route("/<code>/rooms", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(RoomIn)
@blp.response(201, RoomOut)
def add_room(args, code):
    """Add a room to a site."""
    return places.add_room(_site_or_404(code), **args)


@blp.route("/<code>/close", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(CloseIn)
@blp.response(200, SiteDetail)
def close_site(args, code):
    """Close a bureau that moved or merged (refused while a unit still stands there)."""
    return places.close_site(_site_or_404(code), args["reason"])


@blp.route("/<code>/reopen", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.response(200, SiteDetail)
def reopen_site(code):
    """Open a closed site again, with the rooms closed with it."""
    return places.reopen_site(_site_or_404(code))


@blp.route("/<code>/rooms/<int:room_id>/close", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.response(200, RoomOut)
def close_room(code, room_id):
    """Close a room nobody uses any more (refused while a unit stands in it)."""
    return places.close_room(_site_or_404(code), room_id)
