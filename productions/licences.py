"""The open licences of the scenarios: their SPDX identifier (for the
ScoLOMFR/LOM-FR export and the JSON API) and the page that states them."""

from typing import NamedTuple

from .enums import Licence

DEFAULT = Licence.CC_BY_SA_4


class LicenceInfo(NamedTuple):
    short: str
    spdx: str
    url: str


LICENCES = {
    Licence.CC_BY_SA_4: LicenceInfo("CC BY-SA 4.0", "CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"),
    Licence.CC_BY_4: LicenceInfo("CC BY 4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/deed.fr"),
    Licence.CC0: LicenceInfo("CC0 1.0", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.fr"),
    Licence.ETALAB_2: LicenceInfo(
        "Licence Ouverte 2.0", "etalab-2.0", "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
    ),
}


def info(code) -> LicenceInfo:
    """The licence's short name, SPDX identifier and address (the default one for an unknown code)."""
    return LICENCES.get(code, LICENCES[DEFAULT])
