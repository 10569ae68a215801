import pytest

from conftest import PASSWORD
from orgs.models import User

# A survey with its questionnaire uploaded (a policy's file reads its estimate).
from surveys.tests.conftest import draft_survey, open_survey  # noqa: F401


@pytest.fixture
def ctv_user(cell_a) -> User:
    user = User(username="ctv", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Hoa")
    user.set_password(PASSWORD)
    user.save()
    return user
