"""What the production year does when an earlier stage speaks (connected in
``ProductionsConfig.ready``)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from selection.signals import results_published

from . import services


@receiver(results_published, dispatch_uid="productions.open_groups")
def open_working_groups(sender, call, publication, **kwargs):
    """The results are published (and committed): open the working groups of
    the selected proposals, the national groups and the calendar. Safe to run
    again: it creates only what is missing."""
    services.open_groups(call, acting_user=publication.published_by)


@receiver(user_logged_in, dispatch_uid="productions.link_member_accounts")
def link_memberships(sender, request, user, **kwargs):
    """Someone signs in: the memberships recorded under their address before
    their account existed become theirs."""
    services.link_member_accounts(user)
