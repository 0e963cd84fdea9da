def test_login_and_log_case(client, world):
    client.login(world.trainee)
    response = client.submit(
        "/cases/new",
        {
            "operation_date": "2026-11-01",
            "site_id": world.seoul.id,
            "supervisor_id": world.mentor.id,
            "primary_procedure_id": world.microdiscectomy.id,
            "involvement": "S-TS",
            "urgency": "elective",
            "setting": "theatre",
            "complication": "none",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
