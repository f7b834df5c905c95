"""The handover package: start a build (or get the running one), list the builds."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.jobs import job_dict
from server.api.schemas_jobs import JobListOut, JobStartOut
from server.periods import PERIOD_FORM, form_hint
from server.security import JOB_READERS, MANAGER_ROLES
from server.services import jobs
from server.services.handover import build

blp = Blueprint("handover", __name__, url_prefix="/handover", description="Handover package")


class HandoverIn(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    period = ma.fields.String(
        load_default="term",
        validate=ma.validate.Length(min=1, max=32),
        metadata={"description": f"the contract term by default; {form_hint(PERIOD_FORM)}"},
    )


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(HandoverIn, required=False)  # no body: the contract term
@blp.response(202, JobStartOut)
@blp.alt_response(200, schema=JobStartOut, description="a build is already running: that one")
def start_build(args):
    """Start building the package of a period in the background; follow it at
    /api/v1/jobs/<id>. While one build runs, this answers 200 with that build."""
    job, created = build.start(args["period"])
    return {"job": job_dict(job), "created": created}, 202 if created else 200


@blp.route("")
@roles_required(*JOB_READERS)
@blp.response(200, JobListOut)
def list_builds():
    """The latest 50 builds, newest first, with their status and download links."""
    return {"items": [job_dict(job) for job in jobs.listing(build.JOB_KIND)]}
