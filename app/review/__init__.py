"""After-action review: timeline, transcripts, metrics, charts, replay and exports.

Everything here is computed from a session's event log (`app.review.log.ReviewLog`); nothing
imports the web or realtime layers. `review_of(session_id)` gives a cached `Review`.
"""

from app.review.review import Review, forget_review, review_of

__all__ = ["Review", "forget_review", "review_of"]
