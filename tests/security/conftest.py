"""The security tests reuse the people and objects of every stage, built
through the services by the stages' own fixtures."""

from tests.candidatures.conftest import (  # noqa: F401 (fixtures)
    IN_WINDOW, call, colleague_grenoble, complete, draft, inspector_maths_lyon, inspector_nsi_grenoble, maths_theme, nsi_theme,
    retained, submitted, teacher_lyon,
)
from tests.productions.conftest import (  # noqa: F401 (fixtures)
    group, group_lyon, groups, published, published_scenario, returned, scenario, submitted_scenario, tested, validated, written,
)
from tests.selection.conftest import (  # noqa: F401 (fixtures)
    assignment, cardie_lyon, colleague_lyon, grid, maths_entry, reviewer_lyon, reviewer_national, sent_grenoble, sent_lyon,
)
