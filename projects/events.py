"""What the projects app announces, for the apps above it to act on; projects itself knows no
subscriber. Sent synchronously, in the sender's transaction."""

from django.dispatch import Signal

# An organisation declined its part in a project, before the links naming it are removed:
# keyword arguments project, organisation and by. A subscriber detaches what of its own names
# those links (budget lines name a funding), so that nothing holds them back.
involvement_declined = Signal()
