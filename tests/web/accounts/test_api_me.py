"""GET /api/v1/auth/me: the identity with organisations (and roles) and coordinated networks."""


async def test_me__returns_the_identity_with_roles_and_networks(api_as, make_network, make_organisation, make_user):
    network = await make_network(name="Quartiersnetz Herten-Mitte")
    organisation = await make_organisation(network=network, name="Tafel Mitte e.V.")
    user = await make_user(organisation=organisation, role="manager", coordinator_of=network,
                           name="Anna Schmidt", locale="de")
    body = (await (await api_as(user)).get("/api/v1/auth/me")).json()
    assert body == {
        "id": user.id,
        "email": user.email,
        "name": "Anna Schmidt",
        "locale": "de",
        "organisations": [{"id": organisation.id, "name": "Tafel Mitte e.V.", "role": "manager"}],
        "coordinated_networks": [{"id": network.id, "slug": network.slug, "name": "Quartiersnetz Herten-Mitte"}],
        "invitations": [],
    }
