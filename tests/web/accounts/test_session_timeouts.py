"""Sessions end after 30 idle minutes and, however active, 12 hours after sign-in."""

from datetime import timedelta

from resourcepool import clock


async def test_session__ends_after_the_idle_timeout(sign_in, make_user):
    client = await sign_in(await make_user())
    clock.travel(timedelta(minutes=29))
    assert (await client.get("/account")).status_code == 200
    clock.travel(timedelta(minutes=29))  # activity above kept it alive
    assert (await client.get("/account")).status_code == 200

    clock.travel(timedelta(minutes=30, seconds=1))
    response = await client.get("/account")

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login?next=/account"


async def test_session__ends_at_the_absolute_timeout_even_when_active(sign_in, make_user):
    client = await sign_in(await make_user())
    for _ in range(12 * 3 - 1):  # every 20 minutes for 11 h 40 min
        clock.travel(timedelta(minutes=20))
        assert (await client.get("/account")).status_code == 200

    clock.travel(timedelta(minutes=20, seconds=1))
    response = await client.get("/account")

    assert response.status_code in (302, 303)
