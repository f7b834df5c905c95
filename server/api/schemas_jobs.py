"""Response schemas of background jobs (server/api/jobs.py) and the handover builds."""

import marshmallow as ma

from server.api.out import Out, Timestamp, enum
from server.models import JOB_STATUSES


class JobProgressOut(Out):
    done = ma.fields.Integer()
    total = ma.fields.Integer(metadata={"description": "0 while the total is not known yet"})


class JobResultOut(Out):
    name = ma.fields.String(metadata={"description": "file name for the download"})
    size = ma.fields.Integer(metadata={"description": "bytes"})
    sha256 = ma.fields.String()
    download = ma.fields.String(metadata={"description": "URL (HTTP Range supported)"})


class JobErrorOut(Out):
    code = ma.fields.String(metadata={"description": "stable code, e.g. transient_failure"})
    message = ma.fields.String()


class JobOut(Out):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    params = ma.fields.Dict()
    status = enum(JOB_STATUSES)
    progress = ma.fields.Nested(JobProgressOut)
    attempts = ma.fields.Integer()
    result = ma.fields.Nested(JobResultOut, allow_none=True)
    error = ma.fields.Nested(JobErrorOut, allow_none=True)
    created_by = ma.fields.String(allow_none=True, metadata={"description": "username"})
    created_at = Timestamp()
    started_at = Timestamp(allow_none=True)
    finished_at = Timestamp(allow_none=True)


class JobStartOut(Out):
    job = ma.fields.Nested(JobOut)
    created = ma.fields.Boolean(
        metadata={"description": "false: this build was already running, here it is"}
    )


class JobListOut(Out):
    items = ma.fields.List(ma.fields.Nested(JobOut))
