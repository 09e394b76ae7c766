"""What the indicators app announces, for the apps above it to act on (webhooks tell partners
and funders); indicators itself knows no subscriber. Sent synchronously, in the sender's
transaction: a subscriber that records something records it with the change, or not at all."""

from django.dispatch import Signal

# An update was approved or reopened: keyword arguments update_id and event
# ("update.approved" or "update.reopened"). Sent inside the transaction of the review.
update_reviewed = Signal()

# Snapshots were recomputed: keyword argument project_ids, the projects whose figures changed.
snapshots_computed = Signal()
