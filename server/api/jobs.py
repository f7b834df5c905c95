"""Background jobs: status and progress of one job, and the file it made (resumable)."""

from flask import send_file, url_for
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.out import BINARY
from server.api.schemas_jobs import JobOut
from server.errors import ErrorSchema
from server.models import Job
from server.security import JOB_READERS
from server.services import job_retention, jobs

EXPIRED = "the job's file was deleted after JOB_RETENTION_DAYS (start the job again)"
blp = Blueprint("jobs", __name__, url_prefix="/jobs", description="Background jobs")


def job_dict(job: Job) -> dict:
    """A job as the API shows it (JobOut)."""
    result = None
    if job.status == "done" and job.result_path:
        result = {
            "name": job.result_name,
            "size": job.result_size,
            "sha256": job.result_sha256,
            "download": url_for("jobs.download", job_id=job.id),
        }
    error = {"code": job.error_code, "message": job.error_message} if job.error_code else None
    return {
        "id": job.id,
        "kind": job.kind,
        "params": job.params or {},
        "status": job.status,
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "attempts": job.attempts,
        "result": result,
        "error": error,
        "created_by": job.created_by.username if job.created_by else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@blp.route("/<int:job_id>")
@roles_required(*JOB_READERS)
@blp.response(200, JobOut)
@blp.alt_response(410, schema=ErrorSchema, description=EXPIRED)
def get_job(job_id):
    """One job: its status, progress (done of total), error, and its file when done."""
    return job_dict(job_retention.check(jobs.get(job_id)))


@blp.route("/<int:job_id>/download")
@roles_required(*JOB_READERS)
@blp.response(
    200,
    BINARY,
    content_type="application/octet-stream",
    description="The file; Range, If-Range and ETag (the SHA-256) for resuming: 206, 416",
)
@blp.alt_response(410, schema=ErrorSchema, description=EXPIRED)
def download(job_id):
    """The file a finished job made. A broken download resumes with `Range: bytes=N-` and
    `If-Range: <ETag>` (206 with the rest, or the whole file again if it changed)."""
    job = job_retention.check(jobs.get(job_id))
    path = jobs.result_file(job)
    response = send_file(
        path,
        mimetype="application/zip" if path.suffix == ".zip" else None,
        as_attachment=True,
        download_name=job.result_name or path.name,
        conditional=True,
        etag=job.result_sha256 or True,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
