import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The check letter of a UAI (unité administrative immatriculée): I, O and Q
# are left out so that they cannot be mistaken for digits.
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_SHAPE = re.compile(r"^[0-9]{7}[A-Z]$")


def normalize_uai(value) -> str:
    """Upper case, without any space: « 0750 654d » → « 0750654D »."""
    return re.sub(r"\s+", "", str(value or "")).upper()


def uai_check_letter(digits: str) -> str:
    return UAI_LETTERS[int(digits) % 23]


def validate_uai(value) -> str:
    """Check a school's UAI code (7 digits and a check letter) and return it
    normalised. Corsican codes (620…, 720…) follow the same rule."""
    code = normalize_uai(value)
    if not UAI_SHAPE.match(code):
        raise ValidationError(
            _("« %(value)s » n'est pas un code UAI : il faut 7 chiffres suivis d'une lettre, par exemple 0750654D."),
            code="uai_shape",
            params={"value": str(value or "").strip()},
        )
    expected = uai_check_letter(code[:7])
    if code[7] != expected:
        raise ValidationError(
            _("La lettre de contrôle du code UAI %(code)s devrait être %(letter)s."),
            code="uai_check_letter",
            params={"code": code, "letter": expected},
        )
    return code
