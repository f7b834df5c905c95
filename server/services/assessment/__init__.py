"""The year-end assessment (attachment 4 of the contract), scored from records for any period."""

from server.services.assessment.scorer import Assessment, assess

__all__ = ["Assessment", "assess"]
