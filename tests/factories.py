import factory
from allauth.account.models import EmailAddress

from traam.models import RoleAssignment, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"personne{n}@example.test")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password(PASSWORD)


def make_user(email, role=None, *, academy=None, region=None, disciplines=(), **fields):
    user = UserFactory(email=email, **fields)
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if role:
        assignment = RoleAssignment.objects.create(user=user, role=role, academy=academy, region=region)
        assignment.disciplines.set(disciplines)
    return user
