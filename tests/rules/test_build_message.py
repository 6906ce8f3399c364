"""build_message: the same Message as its constructor, built without the setter calls."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.rules.addresses import Address
from core.rules.model import Folder, Message, build_message

_ids = st.none() | st.sampled_from(["<1@x>", "<2@x>", "", "x y"])
_addresses = st.lists(
    st.builds(Address, st.none() | st.text(max_size=5), st.text(max_size=5), st.text(max_size=5)),
    max_size=3,
).map(tuple)
_fields = st.tuples(
    st.text(max_size=5),
    st.sampled_from(list(Folder)),
    st.none() | st.floats(allow_nan=False),
    st.none() | st.builds(Address, st.none() | st.text(max_size=5), st.text(), st.text()),
    _addresses,
    _addresses,
    _addresses,
    st.none() | st.text(max_size=5),
    st.text(max_size=5),
    _ids,
    _ids,
    st.lists(st.sampled_from(["<1@x>", "<2@x>", "<3@x>"]), max_size=3).map(tuple),
    _ids,
    st.none() | st.text(max_size=5),
)


@given(_fields)
def test_build_message_equals_the_constructor(fields: tuple[Any, ...]) -> None:
    built, made = build_message(*fields), Message(*fields)
    assert type(built) is Message
    for name in Message.__slots__:  # recipients and links too, which == does not compare
        assert getattr(built, name) == getattr(made, name), name
        assert type(getattr(built, name)) is type(getattr(made, name)), name
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)


def test_a_built_message_is_frozen_and_behaves_as_any() -> None:
    m = build_message(
        "1", Folder.DRAFTS, None, None, (), (), (), None, "", "<1@x>", "<0@x>", (), None, None
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.id = "2"  # type: ignore[misc]
    assert m.is_draft and m.links == ("<0@x>",)
    assert pickle.loads(pickle.dumps(m)) == m and dataclasses.replace(m, id="3").id == "3"
