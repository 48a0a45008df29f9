"""Object permissions of the bilans (django-rules).

- ``bilans.manage``: the national pilot requests bilans, follows and
  downloads every version, publishes and withdraws them. Anyone may read a
  bilan's public version (``bilans.services.published_run``).
"""

import rules

from traam.rules import is_pilot

rules.add_perm("bilans.manage", is_pilot)
