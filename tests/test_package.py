import pushforce


def test_public_api_is_explicit() -> None:
    assert pushforce.__all__ == ["__version__"]
