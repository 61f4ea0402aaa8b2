from django.urls import reverse


def test_it_shows_the_home_page_to_a_signed_in_administrator(world, signed_in):
    client = signed_in(world.partnership_admin)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert b"Alpha Safeguarding Partnership" in response.content
