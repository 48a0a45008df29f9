"""Signals of the national selection, for the later stages to connect to
without this app knowing them (dependencies point one way)."""

from django.dispatch import Signal

# Sent once the results of a call are published and committed, with
# ``call`` and ``publication``. The productions stage connects here to open the
# working groups of the selected proposals. Receivers run after the commit:
# the publication stands even if a receiver fails (the failure is logged), so a
# receiver should be safe to run again.
results_published = Signal()
