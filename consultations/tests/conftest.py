import pytest

from conftest import PASSWORD
from orgs.models import User


@pytest.fixture
def ctv_user(cell_a) -> User:
    user = User(username="ctv", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Hoa")
    user.set_password(PASSWORD)
    user.save()
    return user
