"""The production year: one function per transition. Each takes the acting
user, checks the rule (``productions.rules``), locks the row that guards the
change before reading its state, saves with ``update_fields``, writes the audit
entry and queues its e-mails (sent once the transaction commits). ``now=`` and
``today=`` stand for the clock (tests, the demo's dates); the audit entry
carries the same moment.

- ``groups``: opening the groups from the published selection, their
  composition and membership, the national group of each entry;
- ``scenarios``: the scenarios' content, versions and transitions;
- ``calendar``: the milestones and the reminders before them;
- ``hours``: the teachers' hours and the cap per person.

Everything a caller needs is importable from here (``services.publish``…).
"""

from .base import EMAILS, ProductionError
from .calendar import (
    MAX_EXPECTED_SCENARIOS, MILESTONE_FIELDS, REMINDER_LEAD, add_milestone, default_milestones, ensure_milestones, milestone_errors,
    remove_milestone, send_milestone_reminders, update_milestone,
)
from .groups import (
    add_member, change_member_role, composition_counts, composition_problems, link_member_accounts, open_groups, remove_member,
    set_national_members, sync_national_group,
)
from .hours import MAX_DESCRIPTION, MAX_HOURS_CAP, MAX_HOURS_PER_MONTH, declare_hours, refuse_hours, set_hours_cap, validate_hours
from .scenarios import (
    EDUBASE_HOST, SCENARIO_FIELDS, create_scenario, edubase_errors, lock_scenario, mark_tested, missing_for_validation, publish,
    return_scenario, save_scenario, save_version, set_edubase_url, submit_for_validation, touch, validate,
)

__all__ = [
    "EDUBASE_HOST", "EMAILS", "MAX_DESCRIPTION", "MAX_EXPECTED_SCENARIOS", "MAX_HOURS_CAP", "MAX_HOURS_PER_MONTH", "MILESTONE_FIELDS",
    "REMINDER_LEAD", "SCENARIO_FIELDS", "ProductionError", "add_member", "add_milestone", "change_member_role", "composition_counts",
    "composition_problems", "create_scenario", "declare_hours", "default_milestones", "edubase_errors", "ensure_milestones", "link_member_accounts",
    "lock_scenario", "mark_tested", "milestone_errors", "missing_for_validation", "open_groups", "publish", "refuse_hours",
    "remove_member", "remove_milestone", "return_scenario", "save_scenario", "save_version", "send_milestone_reminders",
    "set_edubase_url", "set_hours_cap", "set_national_members", "submit_for_validation", "sync_national_group", "touch",
    "update_milestone", "validate", "validate_hours",
]
