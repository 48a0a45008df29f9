"""State changes on reference data and roles. Each takes the acting user,
checks the rule, writes the audit entry and defers its side effects."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, scopes
from .enums import AuditAction, Role
from .models import Call, RoleAssignment, User
from .notifications import queue_email
from .rules import can_grant, is_pilot


@transaction.atomic
def clone_call(source: Call, *, year: str, title: str, dates: dict, acting_user) -> Call:
    """Copy a call with its entries and themes into a new year (unpublished)."""
    if not is_pilot(acting_user):
        raise PermissionDenied
    if Call.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Un appel existe déjà pour l'année %(year)s.") % {"year": year}})
    new = Call(
        year=year,
        title=title,
        tagline=source.tagline,
        introduction_html=source.introduction_html,
        organisation_html=source.organisation_html,
        contacts=source.contacts,
        is_published=False,
        cloned_from=source,
        **dates,
    )
    new.full_clean()
    new.save()
    for entry in source.entries.prefetch_related("themes").order_by("order"):
        themes = list(entry.themes.all())
        entry.pk = None
        entry.call = new
        entry.save()
        for theme in themes:
            theme.pk = None
            theme.entry = entry
            theme.save()
    audit.record(new, actor=acting_user, action=AuditAction.CLONED, comment=_("Copie de l'appel %(year)s") % {"year": source.year})
    return new


def _find_or_invite(email, first_name, last_name):
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user, False
    user = User.objects.create_user(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user, True


@transaction.atomic
def grant_role(*, acting_user, email, role, academy=None, region=None, disciplines=(), first_name="", last_name="") -> RoleAssignment:
    """Give a person a role in a scope, creating their account if needed; they
    are told by e-mail (new accounts receive a link to choose a password)."""
    if not can_grant(acting_user, role, academy):
        raise PermissionDenied
    user, created = _find_or_invite(email, first_name, last_name)
    assignment, new = RoleAssignment.objects.get_or_create(
        user=user, role=role, academy=academy, region=region, defaults={"granted_by": acting_user}
    )
    if disciplines:
        assignment.disciplines.add(*disciplines)
    try:
        assignment.full_clean(validate_unique=False)
    except ValidationError:
        transaction.set_rollback(True)
        raise
    scopes.forget(user)
    if new:
        audit.record(user, actor=acting_user, action=AuditAction.ROLE_GRANTED, to_state=role, comment=str(academy or region or ""))
        queue_email(
            [user.email],
            "emails/role_granted",
            {"user": user, "assignment": assignment, "new_account": created, "granted_by": acting_user},
        )
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, acting_user) -> None:
    if not acting_user.has_perm("traam.revoke_role", assignment):
        raise PermissionDenied
    user = assignment.user
    audit.record(user, actor=acting_user, action=AuditAction.ROLE_REVOKED, from_state=assignment.role, comment=str(assignment.academy or assignment.region or ""))
    assignment.delete()
    scopes.forget(user)


def roles_granted_in_academies(academy_ids):
    return (
        RoleAssignment.objects.filter(academy_id__in=academy_ids, role__in=Role.grantable_by_academy)
        .select_related("user", "academy")
        .order_by("academy__name", "user__last_name", "user__email")
    )
