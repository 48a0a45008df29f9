import pytest
from django.core.exceptions import ValidationError

from candidatures.validators import UAI_LETTERS, normalize_uai, validate_uai


@pytest.mark.parametrize("code", ["0750654D", "0380023U", "0690001B", "6200001G", "7200009X"])
def test_valid_codes_pass_including_corsica(code):
    assert validate_uai(code) == code


@pytest.mark.parametrize("raw", ["0750654d", " 0750 654D ", "0750654 d", "\t0750654D\n"])
def test_codes_are_normalised(raw):
    assert normalize_uai(raw) == "0750654D"
    assert validate_uai(raw) == "0750654D"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("0750654A", "La lettre de contrôle du code UAI 0750654A devrait être D."),
        ("0750654e", "La lettre de contrôle du code UAI 0750654E devrait être D."),
        # I, O and Q are never check letters.
        ("0750654I", "La lettre de contrôle du code UAI 0750654I devrait être D."),
        ("6200001A", "La lettre de contrôle du code UAI 6200001A devrait être G."),
    ],
)
def test_a_wrong_check_letter_names_the_expected_one(raw, message):
    with pytest.raises(ValidationError) as error:
        validate_uai(raw)
    assert error.value.messages == [message]
    assert error.value.error_list[0].code == "uai_check_letter"


@pytest.mark.parametrize("raw", ["075065D", "07506540D", "07506545", "A750654D", "0750654DD", "0750-654D", ""])
def test_a_wrong_shape_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        validate_uai(raw)
    assert error.value.messages == [
        f"« {raw} » n'est pas un code UAI : il faut 7 chiffres suivis d'une lettre, par exemple 0750654D."
    ]
    assert error.value.error_list[0].code == "uai_shape"


@pytest.mark.parametrize("digits", ["0000000", "0000022", "0000023", "9999999", "0380023"])
def test_exactly_one_letter_is_valid_for_each_number(digits):
    valid = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        try:
            validate_uai(digits + letter)
        except ValidationError:
            continue
        valid.append(letter)
    assert valid == [UAI_LETTERS[int(digits) % 23]]
    assert len(UAI_LETTERS) == 23
